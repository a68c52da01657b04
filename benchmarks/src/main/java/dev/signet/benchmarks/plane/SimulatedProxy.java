package dev.signet.benchmarks.plane;

import dev.signet.ca.crypto.Pem;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * One proxy as the xDS server sees it: an ADS stream on its own channel, subscribed to its workload's inbound
 * listener, ACKing every response at once and noting when. Like gRPC-Java's xDS client it opens its stream again
 * after an error: at once if the stream had a response, else backing off as gRPC does (1 s, times 1.6 per failure in
 * a row, ±20 %, at most 120 s), so a storm of reconnections is spread as a mesh's would be.
 */
final class SimulatedProxy implements StreamObserver<DiscoveryResponse> {

    static final String LISTENER = "grpc/server?xds.resource.listening_address=0.0.0.0:8080";
    private static final String TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private final ScheduledExecutorService retriesOn;
    private final ManagedChannel channel;
    private final String node;
    private final Random jitter;
    /** When each version was ACKed (System.nanoTime). */
    final ConcurrentHashMap<String, Long> ackedAt = new ConcurrentHashMap<>();

    volatile String latestVersion;
    /** The latest response, to check what it carries. */
    private volatile DiscoveryResponse latest;
    /** When the latest ACK was sent, on whichever stream (System.nanoTime; 0 before the first). */
    volatile long lastAckAt;

    final AtomicInteger retries = new AtomicInteger();
    /** The status of the latest stream that ended in an error, if one did. */
    private volatile io.grpc.Status lastError;

    private int failuresInARow;
    private boolean answered;
    private volatile boolean closed;
    private StreamObserver<DiscoveryRequest> requests;

    SimulatedProxy(ManagedChannel channel, String node, ScheduledExecutorService retriesOn) {
        this.retriesOn = retriesOn;
        this.channel = channel;
        this.node = node;
        this.jitter = new Random(node.hashCode());
        subscribe();
    }

    private synchronized void subscribe() {
        answered = false;
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl(TYPE)
                .addResourceNames(LISTENER)
                .setNode(Node.newBuilder().setId(node))
                .build());
    }

    @Override
    public synchronized void onNext(DiscoveryResponse response) {
        failuresInARow = 0;
        answered = true;
        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl(TYPE)
                .addResourceNames(LISTENER)
                .setVersionInfo(response.getVersionInfo())
                .setResponseNonce(response.getNonce())
                .build());
        long now = System.nanoTime();
        ackedAt.put(response.getVersionInfo(), now);
        latest = response;
        latestVersion = response.getVersionInfo();
        lastAckAt = now;
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (closed) {
            return;
        }
        retries.incrementAndGet();
        lastError = io.grpc.Status.fromThrowable(t);
        long delay = 0;
        if (!answered) {
            double backoff = Math.min(1000 * Math.pow(1.6, failuresInARow++), 120_000);
            delay = (long) (backoff * (0.8 + 0.4 * jitter.nextDouble()));
        }
        retriesOn.schedule(
                () -> {
                    if (!closed) {
                        subscribe();
                    }
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void onCompleted() {}

    synchronized void close() {
        closed = true;
        requests.onCompleted();
    }

    /** Proxy {@code i}'s own channel: its own key, CSR and certificate for {@code sa/w<i>}, over mTLS. */
    static ManagedChannel channel(XdsServerProcess.Running server, X509Certificate[] roots, int i) {
        return channel(server, server.port(), roots, i);
    }

    /** {@link #channel(XdsServerProcess.Running, X509Certificate[], int)} to another server the same CA trusts. */
    static ManagedChannel channel(XdsServerProcess.Running signer, int port, X509Certificate[] roots, int i) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=w" + i), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
            String chain = new String(
                    Base64.getDecoder()
                            .decode(signer.ask(
                                    "sign " + i + " " + Base64.getEncoder().encodeToString(csr))),
                    StandardCharsets.US_ASCII);
            return NettyChannelBuilder.forTarget("localhost:" + port)
                    .sslContext(GrpcSslContexts.forClient()
                            .trustManager(nativeChecks(roots))
                            .keyManager(
                                    keys.getPrivate(), Pem.certificates(chain).toArray(new X509Certificate[0]))
                            .build())
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make proxy " + i + "'s identity", e);
        }
    }

    /**
     * The roots, with the server's certificate checked by BoringSSL's arithmetic rather than the JDK's: the
     * simulated proxies stand for thousands of machines, and their checks in Java would be this machine's cost, not
     * the control plane's (gRPC-Go's and Envoy's are native too).
     */
    static javax.net.ssl.X509ExtendedTrustManager nativeChecks(X509Certificate[] roots) {
        return dev.signet.controlplane.server.ServingCredentials.trustManager(java.util.List.of(roots));
    }

    /**
     * Fails unless every proxy's latest configuration names {@code text} (a principal the change put there): a
     * benchmark's proxies converging on the wrong content would be no convergence at all.
     */
    static void checkAllCarry(List<SimulatedProxy> proxies, String text) {
        for (SimulatedProxy proxy : proxies) {
            DiscoveryResponse response = proxy.latest;
            boolean carries = response != null
                    && response.getResourcesList().stream()
                            .anyMatch(r -> r.getValue().toStringUtf8().contains(text));
            if (!carries) {
                throw new IllegalStateException(proxy.node + "'s latest configuration does not name " + text);
            }
        }
    }

    /** Each proxy's latest version now (null before its first response), for {@link #awaitAll} later. */
    static String[] versions(List<SimulatedProxy> proxies) {
        return proxies.stream().map(p -> p.latestVersion).toArray(String[]::new);
    }

    /**
     * Waits until every proxy has ACKed a version other than the one it had in {@code previous} (taken by
     * {@link #versions}): each its own, since proxies that connected across a change of the mesh, with nothing of
     * theirs changed, may hold different versions of the same configuration.
     */
    static void awaitAll(List<SimulatedProxy> proxies, String[] previous, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int done = 0;
        while (System.nanoTime() < deadline) {
            while (done < proxies.size() && moved(proxies.get(done), previous[done])) {
                done++;
            }
            if (done == proxies.size()) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(
                (proxies.size() - done) + " of " + proxies.size() + " proxies had not converged within " + timeout);
    }

    private static boolean moved(SimulatedProxy proxy, String previous) {
        String version = proxy.latestVersion;
        return version != null && !version.equals(previous) && proxy.ackedAt.containsKey(version);
    }

    /**
     * What ended the proxies' streams in errors, as "CODE ×count (one description)", by each proxy's latest error:
     * the reason a storm of reconnections had, or nothing.
     */
    static String errors(List<SimulatedProxy> proxies) {
        java.util.Map<io.grpc.Status.Code, List<io.grpc.Status>> byCode = proxies.stream()
                .map(p -> p.lastError)
                .filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.groupingBy(io.grpc.Status::getCode));
        return byCode.isEmpty()
                ? "none"
                : byCode.entrySet().stream()
                        .map(e -> e.getKey() + " ×" + e.getValue().size() + " (" + described(e.getValue()) + ")")
                        .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The descriptions of {@code statuses} with their causes (gRPC's "io exception" says little alone), by count. */
    private static String described(List<io.grpc.Status> statuses) {
        return statuses.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        status -> status.getDescription() + (status.getCause() == null ? "" : ": " + status.getCause()),
                        java.util.stream.Collectors.counting()))
                .entrySet()
                .stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3)
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /** How long after {@code since} (System.nanoTime) each proxy ACKed its latest version, in nanoseconds, sorted. */
    static long[] sortedAckTimes(List<SimulatedProxy> proxies, long since) {
        long[] times = proxies.stream()
                .mapToLong(p -> p.ackedAt.get(p.latestVersion) - since)
                .toArray();
        Arrays.sort(times);
        return times;
    }
}
