package dev.signet.controlplane.ca;

import dev.signet.api.ca.v1.TrustBundleReport;
import dev.signet.api.ca.v1.TrustBundleServiceGrpc;
import dev.signet.api.ca.v1.TrustBundleUpdate;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.controlplane.identity.AuthenticationException;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.server.Discarding;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * {@code WatchTrustBundle}: authenticates the agent once, sends it the current bundle, then every new one, and
 * records the versions it reports having written.
 */
public final class TrustBundleServiceImpl extends TrustBundleServiceGrpc.TrustBundleServiceImplBase {

    private final Callers callers;
    private final Supplier<TrustBundle> bundle;
    private final TrustBundleWatchers watchers;

    public TrustBundleServiceImpl(
            TokenAuthenticator tokens, String trustDomain, Supplier<TrustBundle> bundle, TrustBundleWatchers watchers) {
        this.callers = new Callers(tokens, trustDomain);
        this.bundle = bundle;
        this.watchers = watchers;
    }

    @Override
    public StreamObserver<TrustBundleReport> watchTrustBundle(StreamObserver<TrustBundleUpdate> updates) {
        WorkloadIdentity identity;
        try {
            identity = callers.authenticate();
        } catch (AuthenticationException e) {
            updates.onError(Status.UNAUTHENTICATED
                    .withDescription(e.reason().label() + ": " + e.getMessage())
                    .asRuntimeException());
            return new Discarding<>();
        }
        TrustBundleWatchers.Watcher watcher = watchers.add(identity, Callers.instance(), updates, bundle.get());
        return new StreamObserver<>() {
            @Override
            public void onNext(TrustBundleReport report) {
                watcher.report(report.getWrittenVersion(), report.getWorkload());
            }

            @Override
            public void onError(Throwable t) {
                watchers.remove(watcher);
            }

            @Override
            public void onCompleted() {
                watchers.remove(watcher);
                watcher.complete();
            }
        };
    }
}
