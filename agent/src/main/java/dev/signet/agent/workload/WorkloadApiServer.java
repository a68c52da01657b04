package dev.signet.agent.workload;

import dev.signet.agent.Agent;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The Workload API on a Unix socket, for the workload beside the agent, and Envoy's SDS on the same socket (as SPIRE's
 * agent serves both), for an Envoy sidecar. The socket is its owner's only (mode 0600) unless told: whoever can open
 * it gets the workload's key. In a Pod, the agent and the workload's containers share it through an {@code emptyDir}
 * volume that only that Pod mounts, and the socket may then be open to every user (0666).
 */
public final class WorkloadApiServer implements AutoCloseable {

    /**
     * Requests are small; anything near this is hostile. Large enough that an overlong audience list or token still
     * reaches the checks that name what is wrong with it.
     */
    static final int MAX_MESSAGE_BYTES = 512 * 1024;

    private final Path socket;
    private final Server server;
    private final EpollEventLoopGroup loop;
    private final WorkloadApiService service;
    private final SdsService sds;
    /** Held so that the keep-alive warnings stay silenced ({@link UnixSockets#quietKeepAliveWarnings()}). */
    private final java.util.logging.Logger bootstrap;

    private WorkloadApiServer(
            Path socket,
            Server server,
            EpollEventLoopGroup loop,
            WorkloadApiService service,
            SdsService sds,
            java.util.logging.Logger bootstrap) {
        this.socket = socket;
        this.server = server;
        this.loop = loop;
        this.service = service;
        this.sds = sds;
        this.bootstrap = bootstrap;
    }

    /** {@code unix:///PATH} or {@code unix:PATH} → PATH. */
    public static Path socketPath(String address) {
        if (!address.startsWith("unix:")) {
            throw new IllegalArgumentException(
                    "--workload-api takes a Unix socket address, unix:///PATH, not \"" + address + "\"");
        }
        String path = address.startsWith("unix://") ? URI.create(address).getPath() : address.substring(5);
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("--workload-api needs an absolute path: unix:///PATH, not " + address);
        }
        return Path.of(path);
    }

    /** The socket modes an agent accepts: owner, owner and group, everyone who can reach the folder. */
    private static final java.util.Map<String, String> MODES =
            java.util.Map.of("0600", "rw-------", "0660", "rw-rw----", "0666", "rw-rw-rw-");

    /** {@code --workload-api-mode}: 0600, 0660 or 0666. */
    public static java.util.Set<java.nio.file.attribute.PosixFilePermission> mode(String octal) {
        String permissions = MODES.get(octal);
        if (permissions == null) {
            throw new IllegalArgumentException("--workload-api-mode is 0600, 0660 or 0666, not \"" + octal + "\"");
        }
        return PosixFilePermissions.fromString(permissions);
    }

    /** Serves {@code agent}'s credential on {@code socket}, owner-only. */
    public static WorkloadApiServer start(Path socket, Agent agent, java.time.Clock clock) throws IOException {
        return start(socket, agent, clock, mode("0600"));
    }

    /**
     * Serves {@code agent}'s credential on {@code socket} with {@code mode}, replacing a socket file left by an earlier
     * run.
     */
    public static WorkloadApiServer start(
            Path socket,
            Agent agent,
            java.time.Clock clock,
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode)
            throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Unix sockets need Linux' epoll here: " + Epoll.unavailabilityCause());
        }
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        WorkloadApiService service = new WorkloadApiService(agent, clock);
        SdsService sds = new SdsService(agent::reachChanged);
        EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
        java.util.logging.Logger bootstrap = UnixSockets.quietKeepAliveWarnings();
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loop)
                .workerEventLoopGroup(loop)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(ServerInterceptors.intercept(service, new SecurityHeader()))
                // Envoy sends no Workload API header: the socket's mode is what guards SDS, as it does in SPIRE.
                .addService(sds)
                .build()
                .start();
        Files.setPosixFilePermissions(socket, mode);
        // Sent under the agent's lock, before it confirms a bundle: the gates count these clients with the agent.
        agent.onChange(service::changed);
        agent.onChange(sds::changed);
        // An Envoy has a bundle once it ACKed it: until then the agent does not confirm it to the control plane.
        agent.confirmOnlyAsFarAs(sds::reached);
        return new WorkloadApiServer(socket, server, loop, service, sds, bootstrap);
    }

    public Path socket() {
        return socket;
    }

    /** Open Workload API streams (X.509 SVIDs and bundles, JWT bundles). */
    public int streams() {
        return service.streams();
    }

    /** Open SDS streams. */
    public int sdsStreams() {
        return sds.streams();
    }

    /** SDS responses Envoy rejected (NACKed) since the start. */
    public long sdsNacks() {
        return sds.nacks();
    }

    /** Open streams not yet sent bundle {@code version} or a later one. */
    public int streamsBehind(long version) {
        return service.streamsBehind(version);
    }

    @Override
    public void close() throws InterruptedException {
        service.closeAll();
        sds.closeAll();
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // Left behind; the next start replaces it.
        }
    }
}
