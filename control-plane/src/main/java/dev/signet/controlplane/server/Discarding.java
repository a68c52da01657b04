package dev.signet.controlplane.server;

import io.grpc.stub.StreamObserver;

/** What is left of a stream that was refused: whatever the peer still sends is dropped. */
public final class Discarding<T> implements StreamObserver<T> {

    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
}
