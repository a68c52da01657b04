package dev.signet.operator.kubernetes;

import dev.signet.controlplane.environment.Leadership;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Whether this replica holds the Lease {@code signet-leader}, as the leader election's callbacks last said, and what
 * happens when it stops holding it. Lost while running (the API server unreachable past the renew deadline), the
 * process must go, so that two replicas never write at once: {@code onLost} runs. Given up by a clean stop, the
 * Lease is released (holder cleared, as client-go's {@code ReleaseOnCancel} does), so that another replica takes it
 * at its next try instead of after the Lease's 15 s.
 */
final class LeaseLeadership implements Leadership {

    private static final Logger LOG = Logger.getLogger(LeaseLeadership.class.getName());
    /** How long a clean stop waits for the elector to give up leading before the Lease is released. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final Runnable onLost;
    private final Clock clock;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    LeaseLeadership(KubernetesClient client, String namespace, String identity, Runnable onLost, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.identity = identity;
        this.onLost = onLost;
        this.clock = clock;
    }

    @Override
    public boolean leads() {
        return leading.get();
    }

    /** The leader election's callbacks. */
    LeaderCallbacks callbacks() {
        return new LeaderCallbacks(this::started, this::ended, holder -> {});
    }

    private void started() {
        leading.set(true);
        LOG.info("leading: this replica drives root rotations and writes status, Events and ConfigMaps");
    }

    private void ended() {
        boolean was = leading.getAndSet(false);
        stopped.countDown();
        if (stopping.get()) {
            return;
        }
        if (was) {
            LOG.severe("lost the Lease " + KubernetesMode.LEASE + " while running: exiting, so that no two replicas "
                    + "write at once (the container restarts and competes again)");
            onLost.run();
        }
    }

    /**
     * A clean stop has begun: losing the Lease from now on is expected. Call before stopping the leader election,
     * then {@link #release()} after it.
     */
    void stopping() {
        stopping.set(true);
    }

    /**
     * Gives the Lease back if this replica held it: waits for the election to stop leading, then clears the holder
     * if the Lease still names this replica (a write conditional on the version read, so a newer holder is never
     * overwritten). Returns whether it was released.
     */
    boolean release() throws InterruptedException {
        if (!leading.get() && stopped.getCount() > 0) {
            return false; // never led
        }
        stopped.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Lease lease = client.leases()
                    .inNamespace(namespace)
                    .withName(KubernetesMode.LEASE)
                    .get();
            if (lease == null
                    || lease.getSpec() == null
                    || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return false;
            }
            ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            lease.getSpec().setHolderIdentity("");
            lease.getSpec().setLeaseDurationSeconds(1);
            lease.getSpec().setAcquireTime(now);
            lease.getSpec().setRenewTime(now);
            client.leases().inNamespace(namespace).resource(lease).update();
            return true;
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "could not release the Lease " + KubernetesMode.LEASE + " (it expires by itself): "
                    + e.getMessage());
            return false;
        }
    }
}
