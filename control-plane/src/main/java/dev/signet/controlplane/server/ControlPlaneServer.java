package dev.signet.controlplane.server;

import dev.signet.controlplane.metrics.GrpcCallMetrics;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one TLS gRPC port of the control plane (15012 by default, like istiod's): client certificates are requested
 * but optional, since a first certificate is asked for with a token and renewals come with the current one.
 *
 * <p>Anyone who can reach the port can open connections before any credential is checked, so what a connection may
 * hold is bounded: a TLS handshake and HTTP/2 preface must complete within {@link #HANDSHAKE_TIMEOUT}, a connection
 * carries at most {@link #MAX_CALLS_PER_CONNECTION} calls at once, one with no call is closed after
 * {@link #MAX_IDLE}, every connection is asked to move on after {@link #MAX_AGE} (its streams get
 * {@link #AGE_GRACE} to finish; proxies and agents reconnect, which also spreads them over the replicas), and a peer
 * that stops answering keepalive pings is dropped.
 */
public final class ControlPlaneServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 15012;
    /** CSRs and tokens are a few KiB; anything near this is hostile. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** An agent holds one bundle watch and makes one renewal at a time; a proxy holds one ADS stream. */
    public static final int MAX_CALLS_PER_CONNECTION = 100;

    public static final Duration MAX_IDLE = Duration.ofMinutes(5);
    public static final Duration MAX_AGE = Duration.ofMinutes(30);
    public static final Duration AGE_GRACE = Duration.ofMinutes(5);

    /**
     * The connections that may be handshaking at once ({@link HandshakeGate}): enough to keep every core busy with
     * handshakes (each costs a millisecond or so of CPU), few enough that each finishes far inside its timeout.
     */
    public static final int HANDSHAKES_IN_PROGRESS = 64 * Runtime.getRuntime().availableProcessors();

    /** How long a stopping server waits for unary calls in progress before it cuts every call. */
    public static final Duration DRAIN = Duration.ofSeconds(5);

    private final Server server;
    private final EventLoops loops;
    private final HandshakeGate handshakes;
    private final Drain drain;
    private final GrpcCallMetrics calls;
    /** Held for as long as the server runs: the filter on it bounds what a peer's refused messages log. */
    private final java.util.logging.Logger refusedMessages;

    private ControlPlaneServer(
            Server server,
            EventLoops loops,
            HandshakeGate handshakes,
            Drain drain,
            GrpcCallMetrics calls,
            java.util.logging.Logger refusedMessages) {
        this.server = server;
        this.loops = loops;
        this.handshakes = handshakes;
        this.drain = drain;
        this.calls = calls;
        this.refusedMessages = refusedMessages;
    }

    public static ControlPlaneServer start(
            InetSocketAddress address, ServingCredentials credentials, List<ServerServiceDefinition> services)
            throws IOException {
        return start(address, credentials, services, CallPlacement.POOLED);
    }

    /** As {@link #start(InetSocketAddress, ServingCredentials, List)}, running calls where {@code placement} says. */
    public static ControlPlaneServer start(
            InetSocketAddress address,
            ServingCredentials credentials,
            List<ServerServiceDefinition> services,
            CallPlacement placement)
            throws IOException {
        return start(address, credentials, services, placement, HANDSHAKES_IN_PROGRESS);
    }

    static ControlPlaneServer start(
            InetSocketAddress address,
            ServingCredentials credentials,
            List<ServerServiceDefinition> services,
            CallPlacement placement,
            int handshakesInProgress)
            throws IOException {
        // BoringSSL (bundled with gRPC's shaded Netty) where it loads: a handshake costs a fraction of the JDK's,
        // which is what decides how fast thousands of proxies reconnecting at once are taken back.
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        SslContext tls = GrpcSslContexts.configure(SslContextBuilder.forServer(credentials.keyManager()), provider)
                .trustManager(credentials.trustManager())
                .clientAuth(ClientAuth.OPTIONAL)
                .build();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                .sslContext(tls)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(16 * 1024)
                .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
                .maxConnectionIdle(MAX_IDLE.toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAge(MAX_AGE.toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(AGE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTime(1, TimeUnit.MINUTES)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        builder.handshakeTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        HandshakeGate handshakes = new HandshakeGate(handshakesInProgress);
        EventLoops loops = EventLoops.withAcceptHandler(handshakes.acceptor());
        loops.applyTo(builder, placement).addTransportFilter(handshakes);
        services.forEach(builder::addService);
        Drain drain = new Drain();
        builder.intercept(drain);
        // Interceptors run last-added first: the counters see every call, the drain's refusals included.
        GrpcCallMetrics calls = new GrpcCallMetrics(System::nanoTime);
        builder.intercept(calls);
        java.util.logging.Logger refused = RefusedMessageLog.install(System::nanoTime);
        try {
            return new ControlPlaneServer(builder.build().start(), loops, handshakes, drain, calls, refused);
        } catch (IOException | RuntimeException e) {
            shutdownQuietly(loops);
            throw e;
        }
    }

    private static void shutdownQuietly(EventLoops loops) {
        try {
            loops.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static ServerServiceDefinition withCredentials(io.grpc.BindableService service) {
        return ServerInterceptors.intercept(service, new dev.signet.controlplane.ca.CallCredentials());
    }

    /** The calls handled so far, by method and code, and the unary calls' durations. */
    public GrpcCallMetrics calls() {
        return calls;
    }

    public int port() {
        return server.getPort();
    }

    /**
     * Stops taking calls (clients get GOAWAY), lets the unary calls in progress finish for up to {@link #DRAIN}, then
     * cuts the streams, whose clients reconnect to another replica.
     */
    @Override
    public void close() throws InterruptedException {
        try {
            drain.stop(server, DRAIN);
        } finally {
            loops.shutdown();
        }
    }

    /** The connections accepted whose handshake has not finished: for tests of the bound. */
    HandshakeGate handshakes() {
        return handshakes;
    }
}
