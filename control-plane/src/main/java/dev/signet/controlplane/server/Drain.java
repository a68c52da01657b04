package dev.signet.controlplane.server;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a server stops without failing calls it took: it counts the unary calls in progress (certificate signing) as
 * an interceptor, and {@link #stop} refuses new calls (GOAWAY), lets those finish, then cuts the streams (bundle
 * watches, ADS), which never finish by themselves: their clients reconnect to another replica.
 */
final class Drain implements ServerInterceptor {

    private final AtomicInteger inFlight = new AtomicInteger();

    int inFlight() {
        return inFlight.get();
    }

    /** Stops {@code server}, waiting up to {@code patience} for its unary calls in progress. */
    void stop(Server server, Duration patience) throws InterruptedException {
        server.shutdown();
        long deadline = System.nanoTime() + patience.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            if (server.awaitTermination(20, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            return next.startCall(call, headers);
        }
        inFlight.incrementAndGet();
        AtomicBoolean done = new AtomicBoolean();
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        ServerCall<Q, R> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                try {
                    super.close(status, trailers);
                } finally {
                    finish.run();
                }
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(counted, headers);
        } catch (RuntimeException e) {
            finish.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    finish.run();
                }
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    finish.run();
                }
            }
        };
    }
}
