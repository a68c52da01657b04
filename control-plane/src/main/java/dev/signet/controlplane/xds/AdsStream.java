package dev.signet.controlplane.xds;

import com.google.protobuf.Any;
import dev.signet.ca.CaException;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.policy.model.Workload;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * One proxy's ADS stream, state of the world. Every subscription change is answered, even when nothing requested
 * exists; ACKs and NACKs are recorded; a version the proxy NACKed is not sent again until the configuration
 * changes; on a mesh change only the types whose content changed are sent. Methods are synchronized: gRPC needs
 * one writer at a time on a stream, and requests and pushes arrive on different threads.
 *
 * <p>What a stream may ask for is bounded, since everything it asks for is held: known xDS types only (at most one
 * subscription each), at most {@link #MAX_NAMES} names of at most {@link #MAX_NAME_LENGTH} characters a request.
 * Past that the stream ends with INVALID_ARGUMENT. However it ends, it is removed from the server and the registry.
 *
 * <p>Before the server has a mesh ({@link XdsServer#meshKnown()}) requests are held, the latest of each type (in
 * state of the world it names everything wanted), and handled in order when the first mesh is pushed.
 */
final class AdsStream implements StreamObserver<DiscoveryRequest> {

    private static final Logger LOG = Logger.getLogger(AdsStream.class.getName());
    static final int MAX_NAMES = 1024;
    static final int MAX_NAME_LENGTH = 1024;

    /** Per resource type: what the proxy asked for and what it has been sent. */
    private static final class Subscription {
        Set<String> names = Set.of();
        boolean answered;
        String sentVersion;
        String sentNonce;
        String nackedVersion;
    }

    private final long id;
    private final XdsServer server;
    private final StreamObserver<DiscoveryResponse> responses;
    private final List<X509Certificate> peerChain;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    /** Requests that arrived before the server had a mesh, the latest of each type. */
    private final Map<String, DiscoveryRequest> held = new java.util.LinkedHashMap<>();
    /** The node the stream's first held request named: a later request of the same type replaces it without one. */
    private io.envoyproxy.envoy.config.core.v3.Node heldNode;

    private NodeId node;
    private long nonces;
    private boolean closed;

    AdsStream(long id, XdsServer server, StreamObserver<DiscoveryResponse> responses, List<X509Certificate> peerChain) {
        this.id = id;
        this.server = server;
        this.responses = responses;
        this.peerChain = peerChain;
    }

    @Override
    public synchronized void onNext(DiscoveryRequest request) {
        if (closed) {
            return;
        }
        try {
            handle(request);
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "stream " + id + " failed on a request; it is closed", e);
            refuse(Status.INTERNAL, "the request could not be handled");
        }
    }

    /** One request; package-private so that the fuzz target sees what would escape, which onNext turns into INTERNAL. */
    void handle(DiscoveryRequest request) {
        if (!server.meshKnown()) {
            if (withinBounds(request)) {
                hold(request);
            }
            return;
        }
        if (node == null && !authenticate(request)) {
            return;
        }
        if (!withinBounds(request)) {
            return;
        }
        String type = request.getTypeUrl();
        Subscription subscription = subscriptions.computeIfAbsent(type, t -> new Subscription());
        String nonce = request.getResponseNonce();
        if (!nonce.isEmpty()) {
            if (!nonce.equals(subscription.sentNonce)) {
                return; // an answer to an older response; the newer one is on its way
            }
            if (request.hasErrorDetail()) {
                subscription.nackedVersion = subscription.sentVersion;
                String error = abbreviate(request.getErrorDetail().getMessage());
                server.registry().nacked(id, type, subscription.sentVersion, error);
                LOG.warning(() -> node.id() + " rejected " + TypeUrls.shortName(type) + " version "
                        + subscription.sentVersion + ": " + error);
            } else {
                server.registry().acked(id, type, request.getVersionInfo());
            }
        }
        Set<String> names = new TreeSet<>(request.getResourceNamesList());
        if (!subscription.answered || !names.equals(subscription.names)) {
            subscription.names = names;
            send(type, subscription, true);
        }
    }

    /** A known type and names within the bounds; otherwise the stream is refused and false returned. */
    private boolean withinBounds(DiscoveryRequest request) {
        String type = request.getTypeUrl();
        if (!TypeUrls.isKnown(type)) {
            return refuse(Status.INVALID_ARGUMENT, "unknown resource type \"" + abbreviate(type) + "\"");
        }
        if (request.getResourceNamesCount() > MAX_NAMES) {
            return refuse(
                    Status.INVALID_ARGUMENT,
                    "a request may name at most " + MAX_NAMES + " resources, not " + request.getResourceNamesCount());
        }
        for (String name : request.getResourceNamesList()) {
            if (name.length() > MAX_NAME_LENGTH) {
                return refuse(
                        Status.INVALID_ARGUMENT, "a resource name is longer than " + MAX_NAME_LENGTH + " characters");
            }
        }
        return true;
    }

    private void hold(DiscoveryRequest request) {
        if (heldNode == null && request.hasNode()) {
            heldNode = request.getNode();
        }
        held.put(request.getTypeUrl(), request);
    }

    /** A text from the peer, cut to a length fit for a log line and the status page. */
    private static String abbreviate(String text) {
        return text.length() <= 512 ? text : text.substring(0, 512) + "…";
    }

    /** The mesh changed: send each type whose resources differ from what this proxy was last sent. */
    synchronized void push() {
        if (closed) {
            return;
        }
        if (!held.isEmpty() && server.meshKnown()) {
            List<DiscoveryRequest> waiting = List.copyOf(held.values());
            held.clear();
            for (DiscoveryRequest request : waiting) {
                onNext(
                        node == null && !request.hasNode() && heldNode != null
                                ? request.toBuilder().setNode(heldNode).build()
                                : request);
            }
            return;
        }
        if (node == null) {
            return;
        }
        subscriptions.forEach((type, subscription) -> send(type, subscription, false));
    }

    private void send(String type, Subscription subscription, boolean answer) {
        ProxyResources.Snapshot snapshot = server.resources()
                .forWorkload(node.workloadKey())
                .map(r -> r.snapshot(type, subscription.names))
                .orElse(new ProxyResources.Snapshot(Map.of(), ContentVersion.of(type, Map.of())));
        Map<String, Any> content = snapshot.resources();
        String version = snapshot.version();
        if (!answer && (version.equals(subscription.sentVersion) || version.equals(subscription.nackedVersion))) {
            return;
        }
        String nonce = Long.toString(++nonces);
        responses.onNext(DiscoveryResponse.newBuilder()
                .setVersionInfo(version)
                .setTypeUrl(type)
                .setNonce(nonce)
                .addAllResources(content.values())
                .build());
        subscription.answered = true;
        subscription.sentVersion = version;
        subscription.sentNonce = nonce;
        server.registry().sent(id, type, version);
    }

    private boolean authenticate(DiscoveryRequest request) {
        Optional<NodeId> claimed = NodeId.parse(request.getNode().getId());
        if (claimed.isEmpty()) {
            return refuse(
                    Status.INVALID_ARGUMENT,
                    "the node id must be signet~<namespace>~<workload>, not \""
                            + request.getNode().getId() + "\"");
        }
        if (peerChain == null || peerChain.isEmpty()) {
            return refuse(
                    Status.UNAUTHENTICATED,
                    "connect with the workload's certificate (mTLS) to receive its configuration");
        }
        SpiffeId identity;
        try {
            identity = SpiffeId.fromCertificate(peerChain.get(0));
        } catch (CaException e) {
            return refuse(Status.UNAUTHENTICATED, "the client certificate is not an X509-SVID");
        }
        Optional<Workload> workload = server.mesh().workload(claimed.get().workloadKey());
        if (workload.isEmpty()) {
            return refuse(
                    Status.PERMISSION_DENIED, "no Workload " + claimed.get().workloadKey() + " is registered");
        }
        SpiffeId expected = SpiffeId.forServiceAccount(
                server.trustDomain(),
                claimed.get().namespace(),
                workload.get().spec().serviceAccount());
        if (!identity.equals(expected)) {
            return refuse(
                    Status.PERMISSION_DENIED,
                    "node " + claimed.get().id() + " claims workload "
                            + claimed.get().workloadKey() + ", which runs as " + expected + ", but its certificate is "
                            + identity);
        }
        node = claimed.get();
        server.registry().connected(id, node, identity.uri());
        return true;
    }

    private boolean refuse(Status status, String message) {
        close();
        try {
            responses.onError(status.withDescription(message).asRuntimeException());
        } catch (RuntimeException e) {
            // The call is already gone.
        }
        return false;
    }

    @Override
    public synchronized void onError(Throwable t) {
        close();
    }

    /** The call ended without a word from the peer: cancelled, reset, or closed by the server. */
    synchronized void ended() {
        close();
    }

    @Override
    public synchronized void onCompleted() {
        if (!closed) {
            responses.onCompleted();
        }
        close();
    }

    private void close() {
        closed = true;
        server.closed(this);
        server.registry().disconnected(id);
    }

    /** Refuses a stream before it is ever registered: it holds nothing, and the peer is told why. */
    static void refuseAtOnce(StreamObserver<DiscoveryResponse> responses, Status status, String message) {
        responses.onError(status.withDescription(message).asRuntimeException());
    }
}
