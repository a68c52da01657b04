package dev.signet.controlplane.testing;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Keeps what a stream delivers, in order: each message, its error, or {@code "completed"}. */
public final class RecordingObserver<T> implements StreamObserver<T> {

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    public BlockingQueue<Object> events() {
        return events;
    }

    @Override
    public void onNext(T message) {
        events.add(message);
    }

    @Override
    public void onError(Throwable t) {
        events.add(t);
    }

    @Override
    public void onCompleted() {
        events.add("completed");
    }
}
