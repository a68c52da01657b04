package dev.signet.controlplane.server;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the connections the port has accepted whose TLS handshake (and HTTP/2 preface) has not finished: at the
 * limit the port stops accepting, and the next connections wait in the kernel's backlog until handshakes finish.
 *
 * <p>Why: when thousands of proxies reconnect at once (a restart, a failover), every accepted handshake competes for
 * the same cores. Unbounded, each one's next step waits behind every other's, so all of them slow down together until
 * both ends' handshake timeouts fire, the work is thrown away, and the clients retry later with a longer backoff: the
 * throughput collapses just when it is needed. Bounded, the handshakes in progress finish in milliseconds, one batch
 * after another, at what the cores can do. Istio throttles the same storm with a fixed rate of new xDS connections;
 * this bound follows the machine instead.
 *
 * <p>A connection counts from its acceptance until gRPC reports its transport ready (TLS done, HTTP/2 settings read)
 * or it closes (refused, timed out: the server's own handshake timeout bounds how long one can hold a place).
 */
final class HandshakeGate extends ServerTransportFilter {

    private final int limit;
    private final AtomicInteger inProgress = new AtomicInteger();
    /** The connections still handshaking, by their peer's address (what gRPC's transport attributes name). */
    private final Map<SocketAddress, AtomicBoolean> handshaking = new ConcurrentHashMap<>();

    private volatile Channel port;
    private final AtomicInteger pauses = new AtomicInteger();

    HandshakeGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the handshake limit must be at least 1, not " + limit);
        }
        this.limit = limit;
    }

    /** The handler for the listening channel's pipeline, ahead of Netty's acceptor: it sees each accepted child. */
    ChannelHandler acceptor() {
        return new Acceptor();
    }

    /** Handshakes in progress now. */
    int inProgress() {
        return inProgress.get();
    }

    /** How many times the port stopped accepting because the limit was reached. */
    int pauses() {
        return pauses.get();
    }

    @Override
    public Attributes transportReady(Attributes transport) {
        SocketAddress remote = transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        AtomicBoolean pending = remote == null ? null : handshaking.remove(remote);
        if (pending != null) {
            settle(pending);
        }
        return transport;
    }

    private void admit(Channel listening, Channel child) {
        port = listening;
        AtomicBoolean pending = new AtomicBoolean(true);
        SocketAddress remote = child.remoteAddress();
        if (remote != null) {
            handshaking.put(remote, pending);
        }
        inProgress.incrementAndGet();
        child.closeFuture().addListener(closed -> {
            if (remote != null) {
                handshaking.remove(remote, pending);
            }
            settle(pending);
        });
        updateAutoRead(listening);
    }

    private void settle(AtomicBoolean pending) {
        if (pending.compareAndSet(true, false)) {
            inProgress.decrementAndGet();
            Channel listening = port;
            if (listening != null && listening.isOpen()) {
                // Decided on the listening channel's own thread, from the count at that moment: the last decision
                // always sees the latest count, so the port is never left closed with nothing in progress.
                try {
                    listening.eventLoop().execute(() -> updateAutoRead(listening));
                } catch (RejectedExecutionException stopping) {
                    // The server is stopping and its port closing: there is nothing left to accept.
                }
            }
        }
    }

    private void updateAutoRead(Channel listening) {
        boolean accept = inProgress.get() < limit;
        if (listening.config().isAutoRead() != accept) {
            if (!accept) {
                pauses.incrementAndGet();
            }
            listening.config().setAutoRead(accept);
        }
    }

    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof Channel child) {
                admit(ctx.channel(), child);
            }
            ctx.fireChannelRead(message);
        }
    }
}
