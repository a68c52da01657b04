package dev.signet.agent.workload;

import com.google.protobuf.Any;
import dev.signet.agent.IssuedCredential;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Envoy's Secret Discovery Service over the agent's credential, state of the world: each stream gets the secrets it
 * names (see {@link SdsSecrets}) at once when the agent holds a credential, and again, whole, after each renewal and
 * each bundle change. Versions and nonces follow the xDS protocol: a request that answers the last response's nonce
 * ACKs it, or NACKs it when it carries an error (logged and counted; nothing is re-sent until the secrets change); a
 * request with an older nonce is stale and ignored. A stream counts as having received a bundle only once it ACKed
 * a response that carried it: that is what the agent may confirm to the control plane. Thread-safe: one lock, held
 * briefly (gRPC queues each send).
 */
final class SdsService extends SecretDiscoveryServiceGrpc.SecretDiscoveryServiceImplBase {

    private static final Logger LOG = Logger.getLogger(SdsService.class.getName());

    private final List<SdsStream> streams = new ArrayList<>();
    private final Runnable acknowledged;
    private final AtomicLong nacks = new AtomicLong();
    private IssuedCredential latest;
    /** The secrets of {@code latest}, packed once per change for every stream, and its version. */
    private Map<String, Any> secrets = Map.of();

    private String version = "";

    /** {@code acknowledged} runs (outside the lock) when a stream ACKed a newer bundle. */
    SdsService(Runnable acknowledged) {
        this.acknowledged = acknowledged;
    }

    /** The agent's credential changed; called under the agent's lock. */
    synchronized void changed(IssuedCredential credential) {
        latest = credential;
        version = credential.trustBundleVersion() + "-"
                + credential.chain().get(0).getSerialNumber().toString(16);
        Map<String, Any> packed = new LinkedHashMap<>();
        for (String name : List.of(SdsSecrets.CERTIFICATE, SdsSecrets.TRUST_BUNDLE)) {
            SdsSecrets.of(name, credential).ifPresent(secret -> packed.put(name, Any.pack(secret)));
        }
        secrets = java.util.Collections.unmodifiableMap(packed);
        for (SdsStream stream : List.copyOf(streams)) {
            stream.sendIfChanged();
        }
    }

    /**
     * The newest bundle version, at most {@code written}, that every stream watching the trust bundle has ACKed:
     * what the agent may confirm. A stream that has not ACKed a bundle yet, or NACKed the latest, holds it back.
     */
    synchronized long reached(long written) {
        long reached = written;
        for (SdsStream stream : streams) {
            if (stream.names.contains(SdsSecrets.TRUST_BUNDLE)) {
                reached = Math.min(reached, stream.ackedBundle);
            }
        }
        return reached;
    }

    synchronized int streams() {
        return streams.size();
    }

    long nacks() {
        return nacks.get();
    }

    synchronized void closeAll() {
        for (SdsStream stream : List.copyOf(streams)) {
            stream.close(Status.UNAVAILABLE.withDescription("the agent is stopping"));
        }
        streams.clear();
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamSecrets(StreamObserver<DiscoveryResponse> responses) {
        SdsStream stream = new SdsStream((ServerCallStreamObserver<DiscoveryResponse>) responses);
        synchronized (this) {
            streams.add(stream);
        }
        return stream;
    }

    @Override
    public void fetchSecrets(DiscoveryRequest request, StreamObserver<DiscoveryResponse> response) {
        DiscoveryResponse answer;
        synchronized (this) {
            answer = latest == null ? null : message(request.getResourceNamesList(), "0");
        }
        if (answer == null) {
            response.onError(Status.UNAVAILABLE
                    .withDescription("the agent has no certificate yet; retry")
                    .asRuntimeException());
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }

    /** The response carrying {@code names} (all, when none is named) of the latest secrets; under the lock. */
    private DiscoveryResponse message(java.util.Collection<String> names, String nonce) {
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
                .setVersionInfo(version)
                .setTypeUrl(SdsSecrets.TYPE_URL)
                .setNonce(nonce);
        for (String name : names.isEmpty() ? secrets.keySet() : names) {
            Any secret = secrets.get(name);
            if (secret != null) {
                response.addResources(secret);
            }
        }
        return response.build();
    }

    /** One Envoy's stream: the names it asked for, what it was sent last, and what it ACKed. */
    private final class SdsStream implements StreamObserver<DiscoveryRequest> {

        private final ServerCallStreamObserver<DiscoveryResponse> out;
        private Set<String> names = Set.of();
        private boolean subscribed;
        private long nonce;
        private String sentNonce = "";
        private String sentVersion = "";
        private long sentBundle;
        private long ackedBundle;

        SdsStream(ServerCallStreamObserver<DiscoveryResponse> out) {
            this.out = out;
        }

        @Override
        public void onNext(DiscoveryRequest request) {
            boolean ackedNewer = false;
            synchronized (SdsService.this) {
                if (!request.getTypeUrl().isEmpty() && !request.getTypeUrl().equals(SdsSecrets.TYPE_URL)) {
                    close(Status.INVALID_ARGUMENT.withDescription(
                            "this SDS serves " + SdsSecrets.TYPE_URL + ", not " + request.getTypeUrl()));
                    return;
                }
                String answered = request.getResponseNonce();
                if (!answered.isEmpty() && !answered.equals(sentNonce)) {
                    return; // stale: it answers a response that a newer one superseded
                }
                if (!answered.isEmpty()) {
                    if (request.hasErrorDetail()) {
                        nacks.incrementAndGet();
                        LOG.warning(() -> "Envoy (" + request.getNode().getId() + ") rejected SDS version "
                                + sentVersion + " of " + names + ": "
                                + request.getErrorDetail().getMessage());
                    } else if (sentBundle > ackedBundle) {
                        ackedBundle = sentBundle;
                        ackedNewer = true;
                    }
                }
                Set<String> asked = new LinkedHashSet<>(request.getResourceNamesList());
                if (!subscribed || !asked.equals(names)) {
                    subscribed = true;
                    names = asked;
                    unknown(asked);
                    sentVersion = "";
                    sendIfChanged();
                }
            }
            if (ackedNewer) {
                acknowledged.run();
            }
        }

        /** Sends the secrets if the agent holds a credential whose version this stream was not sent. */
        void sendIfChanged() {
            if (latest == null || !subscribed || out.isCancelled() || version.equals(sentVersion)) {
                return;
            }
            sentNonce = Long.toString(++nonce);
            sentVersion = version;
            sentBundle = latest.trustBundleVersion();
            try {
                out.onNext(message(names, sentNonce));
            } catch (RuntimeException e) {
                streams.remove(this);
            }
        }

        private void unknown(Set<String> asked) {
            for (String name : asked) {
                if (!name.equals(SdsSecrets.CERTIFICATE) && !name.equals(SdsSecrets.TRUST_BUNDLE)) {
                    LOG.warning(() -> "SDS: no secret \"" + name + "\" here; this agent serves \""
                            + SdsSecrets.CERTIFICATE + "\" and \"" + SdsSecrets.TRUST_BUNDLE + "\"");
                }
            }
        }

        void close(Status status) {
            streams.remove(this);
            try {
                out.onError(status.asRuntimeException());
            } catch (RuntimeException e) {
                // Already gone.
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (SdsService.this) {
                streams.remove(this);
            }
        }

        @Override
        public void onCompleted() {
            synchronized (SdsService.this) {
                streams.remove(this);
                try {
                    out.onCompleted();
                } catch (RuntimeException e) {
                    // Already gone.
                }
            }
        }
    }
}
