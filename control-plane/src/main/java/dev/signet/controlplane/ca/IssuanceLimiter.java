package dev.signet.controlplane.ca;

import dev.signet.controlplane.identity.WorkloadIdentity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many certificates one identity may be issued: a token bucket per identity ({@code burst} at once, then
 * {@code perSecond}). One stolen token must not mint thousands of leaves, each journaled and each held in use under
 * the old root for its lifetime (which would keep a rotation's ACTIVATE gate shut). The burst covers a Deployment's
 * pods starting together, and the renewals a rotation asks of them. Thread-safe; buckets that have refilled are
 * forgotten, so the map holds only identities that issued lately.
 */
public final class IssuanceLimiter {

    /** The limits: {@link #UNLIMITED} for benchmarks of raw issuance. */
    public record Limits(double perSecond, int burst) {
        public static final Limits UNLIMITED = new Limits(Double.POSITIVE_INFINITY, Integer.MAX_VALUE);

        public Limits {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException(
                        "an issuance limit needs a positive rate and burst, not " + perSecond + "/s and " + burst);
            }
        }
    }

    private static final int FORGET_ABOVE = 10_000;

    private final Limits limits;
    private final LongSupplier nanoTime;
    private final Map<WorkloadIdentity, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public IssuanceLimiter(Limits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
    }

    /** Takes one issuance for {@code identity}; false when it has used up its share for now. */
    public boolean tryAcquire(WorkloadIdentity identity) {
        if (Double.isInfinite(limits.perSecond())) {
            return true;
        }
        long now = nanoTime.getAsLong();
        if (buckets.size() > FORGET_ABOVE) {
            buckets.values().removeIf(bucket -> {
                synchronized (bucket) {
                    return refilled(bucket, now) >= limits.burst();
                }
            });
        }
        Bucket bucket = buckets.computeIfAbsent(identity, id -> new Bucket(limits.burst(), now));
        synchronized (bucket) {
            bucket.tokens = refilled(bucket, now);
            bucket.at = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    private double refilled(Bucket bucket, long now) {
        return Math.min(limits.burst(), bucket.tokens + (now - bucket.at) / 1e9 * limits.perSecond());
    }
}
