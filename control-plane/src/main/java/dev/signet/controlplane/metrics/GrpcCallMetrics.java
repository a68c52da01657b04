package dev.signet.controlplane.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Every gRPC call the server handles, counted by service, method, type and status code when it ends, and the unary
 * calls' durations (a CSR from its arrival to its answer, token check included) in a histogram per method: what
 * go-grpc-prometheus exports, under the names dashboards for it already use.
 */
public final class GrpcCallMetrics implements ServerInterceptor {

    /** One method of one service, as the labels name it. */
    public record Method(String service, String method, String type) {}

    /** A method and how its calls ended. */
    public record Handled(Method method, String code) {}

    private final LongSupplier nanoTime;
    private final Map<Method, LongAdder> started = new ConcurrentHashMap<>();
    private final Map<Handled, LongAdder> handled = new ConcurrentHashMap<>();
    private final Map<Method, LatencyHistogram> unary = new ConcurrentHashMap<>();

    public GrpcCallMetrics(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> descriptor = call.getMethodDescriptor();
        Method method = new Method(
                String.valueOf(descriptor.getServiceName()),
                String.valueOf(descriptor.getBareMethodName()),
                type(descriptor.getType()));
        started.computeIfAbsent(method, m -> new LongAdder()).increment();
        long start = nanoTime.getAsLong();
        AtomicBoolean ended = new AtomicBoolean();
        Runnable cancelled = () -> end(method, Status.Code.CANCELLED, start, ended);
        ServerCall<Q, R> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                end(method, status.getCode(), start, ended);
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onCancel() {
                cancelled.run();
                super.onCancel();
            }
        };
    }

    private void end(Method method, Status.Code code, long start, AtomicBoolean ended) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        handled.computeIfAbsent(new Handled(method, code.name()), h -> new LongAdder())
                .increment();
        if (method.type().equals("unary")) {
            unary.computeIfAbsent(method, m -> new LatencyHistogram()).observeNanos(nanoTime.getAsLong() - start);
        }
    }

    private static String type(MethodDescriptor.MethodType type) {
        return switch (type) {
            case UNARY -> "unary";
            case SERVER_STREAMING -> "server_stream";
            case CLIENT_STREAMING -> "client_stream";
            case BIDI_STREAMING -> "bidi_stream";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    /** Calls started, by method, in a stable order. */
    public Map<Method, Long> started() {
        return sorted(started);
    }

    /** Calls ended, by method and code, in a stable order. */
    public Map<Handled, Long> handled() {
        Map<Handled, Long> counts = new java.util.TreeMap<>(
                Comparator.comparing((Handled h) -> h.method().service())
                        .thenComparing(h -> h.method().method())
                        .thenComparing(Handled::code));
        handled.forEach((key, count) -> counts.put(key, count.sum()));
        return counts;
    }

    /** The unary methods' durations. */
    public Map<Method, LatencyHistogram.Snapshot> unaryLatency() {
        Map<Method, LatencyHistogram.Snapshot> snapshots = new java.util.TreeMap<>(ORDER);
        unary.forEach((method, histogram) -> snapshots.put(method, histogram.snapshot()));
        return snapshots;
    }

    private static final Comparator<Method> ORDER =
            Comparator.comparing(Method::service).thenComparing(Method::method);

    private static Map<Method, Long> sorted(Map<Method, LongAdder> counts) {
        Map<Method, Long> out = new java.util.TreeMap<>(ORDER);
        counts.forEach((key, count) -> out.put(key, count.sum()));
        return out;
    }
}
