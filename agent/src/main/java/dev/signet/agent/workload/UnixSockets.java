package dev.signet.agent.workload;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** gRPC over a Unix socket, for both ends of the Workload API: the agent's server, and clients such as the CLI's. */
public final class UnixSockets {

    private UnixSockets() {}

    /** A plaintext channel to {@code socket} on {@code loop}. */
    public static ManagedChannel channel(Path socket, EpollEventLoopGroup loop) {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(loop)
                .usePlaintext()
                .build();
    }

    /** The header every Workload API call carries ({@code workload.spiffe.io: true}). */
    public static Metadata securityHeader() {
        Metadata header = new Metadata();
        header.put(SecurityHeader.KEY, "true");
        return header;
    }

    /**
     * gRPC asks every connection for TCP keep-alive, which a Unix socket has no use for, and Netty warns of it each
     * time: one line per connection. Silences that; the caller holds the logger, as a level lasts while it is held.
     */
    public static Logger quietKeepAliveWarnings() {
        Logger bootstrap = Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");
        bootstrap.setLevel(Level.SEVERE);
        return bootstrap;
    }
}
