package dev.signet.cli.api;

import dev.signet.agent.workload.UnixSockets;
import dev.signet.agent.workload.WorkloadApiServer;
import dev.signet.api.spiffe.workload.SpiffeWorkloadAPIGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * The socket option the {@code api} commands share ({@code SPIFFE_ENDPOINT_SOCKET} unless given, as go-spiffe and
 * java-spiffe read it) and a connection to it that sends the Workload API's security header.
 */
final class WorkloadApiSocket {

    @Option(
            names = "--socket",
            paramLabel = "unix:///PATH",
            defaultValue = "${env:SPIFFE_ENDPOINT_SOCKET}",
            description = "The Workload API socket; default: $SPIFFE_ENDPOINT_SOCKET.")
    String address;

    /** An open connection; closed with the command. */
    final class Connection implements AutoCloseable {
        private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
        private final ManagedChannel channel;
        /** Held so that the keep-alive warnings stay silenced. */
        private final java.util.logging.Logger bootstrap = UnixSockets.quietKeepAliveWarnings();

        Connection(Path socket) {
            channel = UnixSockets.channel(socket, loop);
        }

        SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIBlockingStub api() {
            return SpiffeWorkloadAPIGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(UnixSockets.securityHeader()))
                    .withDeadlineAfter(15, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            channel.shutdownNow();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    Connection open() {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("no socket: pass --socket unix:///PATH or set SPIFFE_ENDPOINT_SOCKET");
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalArgumentException("Unix sockets need Linux' epoll here: " + Epoll.unavailabilityCause());
        }
        return new Connection(WorkloadApiServer.socketPath(address));
    }
}
