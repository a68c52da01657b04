package dev.signet.controlplane.ca;

import dev.signet.api.ca.v1.TrustBundleUpdate;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The agents connected over {@code WatchTrustBundle}, with the bundle version each has confirmed writing: what a
 * rotation's bundle gates count. One watcher per workload instance: a newer stream of the same instance (the same
 * certificate, or the same token) replaces the older, which is ended, so that one credential opening thousands of
 * streams that never confirm counts once. Thread-safe; each stream's sends are serialised, as gRPC requires.
 */
public final class TrustBundleWatchers {

    /** One connected agent. Its name in status is {@code ns/sa}, with the workload it named, if any. */
    static final class Watcher {
        private final String name;
        private final String instance;
        private final AtomicLong changes;
        private final WorkloadIdentity identity;
        private final StreamObserver<TrustBundleUpdate> out;
        private final AtomicLong confirmed = new AtomicLong();
        private volatile String workload = "";
        /** The name status shows, built once: gates list every watcher on every check. */
        private volatile String shown;

        Watcher(WorkloadIdentity identity, String instance, StreamObserver<TrustBundleUpdate> out, AtomicLong changes) {
            this.instance = instance;
            this.changes = changes;
            this.name = identity.namespace() + "/" + identity.serviceAccount();
            this.identity = identity;
            this.shown = name;
            this.out = out;
        }

        void report(long writtenVersion, String workloadName) {
            if (confirmed.getAndAccumulate(writtenVersion, Math::max) < writtenVersion) {
                changes.incrementAndGet();
            }
            if (workloadName != null
                    && !workloadName.isBlank()
                    && workloadName.length() <= 253
                    && !workloadName.equals(workload)) {
                workload = workloadName;
                shown = name + " (" + workloadName + ")";
                changes.incrementAndGet();
            }
        }

        String name() {
            return shown;
        }

        synchronized void complete() {
            try {
                out.onCompleted();
            } catch (RuntimeException e) {
                // Already closed by the peer.
            }
        }

        /** Ends a stream that a newer one of the same instance replaced. */
        synchronized void replaced() {
            try {
                out.onError(io.grpc.Status.ALREADY_EXISTS
                        .withDescription(
                                "a newer WatchTrustBundle stream of this " + "workload instance replaced this one")
                        .asRuntimeException());
            } catch (RuntimeException e) {
                // Already closed by the peer.
            }
        }

        synchronized void send(TrustBundleUpdate update) {
            try {
                out.onNext(update);
            } catch (RuntimeException e) {
                // A stream that is going away; its own completion removes it.
            }
        }
    }

    private final Map<Watcher, Boolean> watchers = new ConcurrentHashMap<>();
    private final Map<String, Watcher> byInstance = new ConcurrentHashMap<>();
    /** Bumped by every change {@link #confirmations()} would show: it is asked on every gate check. */
    private final AtomicLong changes = new AtomicLong();

    private volatile Confirmations cached = new Confirmations(-1, List.of());

    private record Confirmations(long stamp, List<WorkloadConfirmation> list) {}

    /**
     * Adds a stream, replacing the instance's older one. Additions and removals hold the lock: two streams of one
     * instance arriving together must not both stay (each replacing the other before the other was in).
     */
    Watcher add(
            WorkloadIdentity identity, String instance, StreamObserver<TrustBundleUpdate> out, TrustBundle current) {
        Watcher watcher = new Watcher(identity, instance, out, changes);
        Watcher previous;
        synchronized (this) {
            previous = byInstance.put(instance, watcher);
            watchers.put(watcher, Boolean.TRUE);
            changes.incrementAndGet();
            if (previous != null) {
                remove(previous);
            }
        }
        if (previous != null) {
            previous.replaced();
        }
        watcher.send(update(current, 0));
        return watcher;
    }

    synchronized void remove(Watcher watcher) {
        byInstance.remove(watcher.instance, watcher);
        if (watchers.remove(watcher) != null) {
            changes.incrementAndGet();
        }
    }

    public int size() {
        return watchers.size();
    }

    /** Each connected agent and the highest bundle version it has confirmed. */
    public List<WorkloadConfirmation> confirmations() {
        // The stamp is read first: a change made while the list is built leaves it stale, so the next call rebuilds.
        long stamp = changes.get();
        Confirmations known = cached;
        if (known.stamp() == stamp) {
            return known.list();
        }
        List<WorkloadConfirmation> list = watchers.keySet().stream()
                .map(w -> new WorkloadConfirmation(w.name(), w.confirmed.get()))
                .toList();
        cached = new Confirmations(stamp, list);
        return list;
    }

    /** Sends {@code bundle} to every connected agent. */
    public void publish(TrustBundle bundle) {
        TrustBundleUpdate update = update(bundle, 0);
        watchers.keySet().forEach(w -> w.send(update));
    }

    /**
     * Asks the connected agents whose identity {@code holds} a leaf to be replaced to renew, each at a moment drawn
     * uniformly within {@code spread}: with N agents the CA then sees about N / spread renewals a second, which is
     * how the issuance rate stays under its cap. Returns how many were asked.
     */
    public int requestRenewal(
            TrustBundle bundle, Duration spread, RandomGenerator random, Predicate<WorkloadIdentity> holds) {
        long window = Math.max(1, spread.toMillis());
        // The bundle's PEM is made once; each agent's message differs only in its moment.
        TrustBundleUpdate base = update(bundle, 0);
        int asked = 0;
        for (Watcher w : watchers.keySet()) {
            if (holds.test(w.identity)) {
                w.send(base.toBuilder()
                        .setRenewWithinMillis(1 + random.nextLong(window))
                        .build());
                asked++;
            }
        }
        return asked;
    }

    private static TrustBundleUpdate update(TrustBundle bundle, long renewWithinMillis) {
        return TrustBundleUpdate.newBuilder()
                .setTrustBundle(bundle.toPem())
                .setTrustBundleVersion(bundle.version())
                .setRenewWithinMillis(renewWithinMillis)
                .addAllJwtAuthorities(JwtAuthorities.of(bundle))
                .build();
    }
}
