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
 * The Workload API on a Unix socket, for the workload beside the agent. The socket is its owner's only (mode 0600):
 * whoever can open it gets the workload's key. In a Pod, the agent and the workload's containers share it through an
 * {@code emptyDir} volume and run as the same user.
 */
public final class WorkloadApiServer implements AutoCloseable {

    /** Requests are empty or small; anything near this is hostile. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final Path socket;
    private final Server server;
    private final EpollEventLoopGroup loop;
    private final WorkloadApiService service;

    private WorkloadApiServer(Path socket, Server server, EpollEventLoopGroup loop, WorkloadApiService service) {
        this.socket = socket;
        this.server = server;
        this.loop = loop;
        this.service = service;
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

    /** Serves {@code agent}'s credential on {@code socket}, replacing a socket file left by an earlier run. */
    public static WorkloadApiServer start(Path socket, Agent agent) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Unix sockets need Linux' epoll here: " + Epoll.unavailabilityCause());
        }
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        WorkloadApiService service = new WorkloadApiService();
        EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loop)
                .workerEventLoopGroup(loop)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(ServerInterceptors.intercept(service, new SecurityHeader()))
                .build()
                .start();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        // Sent under the agent's lock, before it confirms a bundle: the gates count these clients with the agent.
        agent.onChange(service::changed);
        return new WorkloadApiServer(socket, server, loop, service);
    }

    public Path socket() {
        return socket;
    }

    /** Open Workload API streams (X.509 SVIDs and bundles). */
    public int streams() {
        return service.streams();
    }

    /** Open streams not yet sent bundle {@code version} or a later one. */
    public int streamsBehind(long version) {
        return service.streamsBehind(version);
    }

    @Override
    public void close() throws InterruptedException {
        service.closeAll();
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
