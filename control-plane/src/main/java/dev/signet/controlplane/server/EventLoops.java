package dev.signet.controlplane.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's own threads and listening channel. The Netty threads are as gRPC's defaults make them (epoll where it
 * loads, else NIO; one accepting thread, Netty's default number of workers), with one difference: a handler of ours
 * sits on the listening channel ahead of the acceptor. gRPC lets a server choose its channel only together with its
 * threads, so the threads are made here and stopped with the server. Calls run where a {@link CallPlacement} says:
 * in place on their event loop, or on a pool like gRPC's default one (threads made as needed, kept a minute idle).
 */
final class EventLoops {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Supplier<ServerChannel> channels;
    private final ExecutorService calls;

    private EventLoops(EventLoopGroup boss, EventLoopGroup workers, Supplier<ServerChannel> channels) {
        this.boss = boss;
        this.workers = workers;
        this.channels = channels;
        this.calls = Executors.newCachedThreadPool(new DefaultThreadFactory("signet-grpc-call", true));
    }

    /** Threads and a listening channel whose pipeline starts with {@code onAccept}. */
    static EventLoops withAcceptHandler(ChannelHandler onAccept) {
        boolean epoll = Epoll.isAvailable();
        Supplier<IoHandlerFactory> io = epoll ? EpollIoHandler::newFactory : NioIoHandler::newFactory;
        Supplier<ServerChannel> channel = epoll ? EpollServerSocketChannel::new : NioServerSocketChannel::new;
        return new EventLoops(
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("signet-grpc-accept", true), io.get()),
                new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("signet-grpc-worker", true), io.get()),
                () -> {
                    ServerChannel listening = channel.get();
                    listening.pipeline().addLast(onAccept);
                    return listening;
                });
    }

    NettyServerBuilder applyTo(NettyServerBuilder builder, CallPlacement placement) {
        return builder.channelFactory(channels::get)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                // gRPC looks each call's method up in place, then runs the call where the placement says.
                .directExecutor()
                .callExecutor(placement.executors(calls));
    }

    /** Stops the threads; the server has closed its channels by then. */
    void shutdown() throws InterruptedException {
        calls.shutdown();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        boss.terminationFuture().await(5, TimeUnit.SECONDS);
        workers.terminationFuture().await(5, TimeUnit.SECONDS);
    }
}
