package dev.signet.agent.workload;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The open streams of one Workload API method and what each was sent last: every stream gets the latest message when
 * it joins (if there is one yet) and each later one, whole, in order. Joining and publishing hold the lock, so that a
 * stream joining during a publish can never end on the older message; gRPC queues each send, so the lock is brief.
 */
final class Subscribers<S, M> {

    /** Each open stream and the state whose message it was sent last (null: nothing yet). */
    private final Map<ServerCallStreamObserver<M>, S> streams = new HashMap<>();

    private final Function<S, M> message;
    private S latest;

    Subscribers(Function<S, M> message) {
        this.message = message;
    }

    /** Adds a stream; it leaves when the client cancels. */
    synchronized void join(StreamObserver<M> observer) {
        ServerCallStreamObserver<M> stream = (ServerCallStreamObserver<M>) observer;
        stream.setOnCancelHandler(() -> leave(stream));
        streams.put(stream, null);
        if (latest != null) {
            send(stream, latest, message.apply(latest));
        }
    }

    /** Sends the message for {@code state} to every stream; when it returns, each open stream has been sent it. */
    synchronized void publish(S state) {
        latest = state;
        M next = message.apply(state);
        for (ServerCallStreamObserver<M> stream : new java.util.ArrayList<>(streams.keySet())) {
            send(stream, state, next);
        }
    }

    synchronized int size() {
        return streams.size();
    }

    /** How many open streams were not sent a state that passes {@code sent}. */
    synchronized int notSent(Predicate<S> sent) {
        return (int) streams.values().stream()
                .filter(state -> state == null || !sent.test(state))
                .count();
    }

    private synchronized void leave(ServerCallStreamObserver<M> stream) {
        streams.remove(stream);
    }

    private void send(ServerCallStreamObserver<M> stream, S state, M next) {
        if (stream.isCancelled()) {
            streams.remove(stream);
            return;
        }
        try {
            stream.onNext(next);
            streams.put(stream, state);
        } catch (RuntimeException e) {
            // The client went away between the check and the send.
            streams.remove(stream);
        }
    }

    /** Ends every stream: the agent is stopping. */
    synchronized void closeAll() {
        for (ServerCallStreamObserver<M> stream : new java.util.ArrayList<>(streams.keySet())) {
            try {
                stream.onError(Status.UNAVAILABLE
                        .withDescription("the agent is stopping")
                        .asRuntimeException());
            } catch (RuntimeException e) {
                // Already gone.
            }
        }
        streams.clear();
    }
}
