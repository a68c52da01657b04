package dev.signet.agent.workload;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The open streams of one Workload API method and the message each is due: every stream gets the latest message when
 * it joins (if there is one yet) and each later one, whole, in order. Sending is the caller's single thread's work.
 */
final class Subscribers<S, M> {

    private final Map<ServerCallStreamObserver<M>, Boolean> streams = new ConcurrentHashMap<>();
    private final Function<S, M> message;
    private volatile S latest;

    Subscribers(Function<S, M> message) {
        this.message = message;
    }

    /** Adds a stream; it leaves when the client cancels. */
    void join(StreamObserver<M> observer) {
        ServerCallStreamObserver<M> stream = (ServerCallStreamObserver<M>) observer;
        stream.setOnCancelHandler(() -> streams.remove(stream));
        streams.put(stream, Boolean.TRUE);
        S now = latest;
        if (now != null) {
            send(stream, message.apply(now));
        }
    }

    /** Sends the message for {@code state} to every stream. */
    void publish(S state) {
        latest = state;
        M next = message.apply(state);
        streams.keySet().forEach(stream -> send(stream, next));
    }

    int size() {
        return streams.size();
    }

    private void send(ServerCallStreamObserver<M> stream, M next) {
        synchronized (stream) {
            if (stream.isCancelled()) {
                streams.remove(stream);
                return;
            }
            try {
                stream.onNext(next);
            } catch (RuntimeException e) {
                // The client went away between the check and the send.
                streams.remove(stream);
            }
        }
    }

    /** Ends every stream: the agent is stopping. */
    void closeAll() {
        streams.keySet().forEach(stream -> {
            synchronized (stream) {
                try {
                    stream.onError(io.grpc.Status.UNAVAILABLE
                            .withDescription("the agent is stopping")
                            .asRuntimeException());
                } catch (RuntimeException e) {
                    // Already gone.
                }
            }
        });
        streams.clear();
    }
}
