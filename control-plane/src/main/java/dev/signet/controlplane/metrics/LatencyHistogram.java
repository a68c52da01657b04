package dev.signet.controlplane.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed buckets, as a Prometheus histogram exports them, so that quantiles and SLOs ("99 % of
 * pushes within 1 s") can be computed across replicas. Thread-safe and lock-free: one adder per bucket.
 */
public final class LatencyHistogram {

    /** Upper bounds in seconds: from a CSR signed in a millisecond to a push far past its one-second goal. */
    private static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** The buckets, cumulative as Prometheus writes them, the count and the sum of every duration in seconds. */
    public record Snapshot(double[] bounds, long[] cumulative, long count, double sum) {
        public Snapshot {
            bounds = bounds.clone();
            cumulative = cumulative.clone();
        }

        /** How many durations were at most {@code seconds} (a bucket bound), or all of them past the last bound. */
        public long atMost(double seconds) {
            int at = Arrays.binarySearch(bounds, seconds);
            return at >= 0 ? cumulative[at] : count;
        }
    }

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final DoubleAdder sum = new DoubleAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void observeNanos(long nanos) {
        double seconds = nanos / 1e9;
        int at = Arrays.binarySearch(BOUNDS, seconds);
        buckets[at >= 0 ? at : -at - 1].increment();
        sum.add(seconds);
    }

    public Snapshot snapshot() {
        long[] cumulative = new long[BOUNDS.length];
        long running = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        long count = running + buckets[BOUNDS.length].sum();
        return new Snapshot(BOUNDS, cumulative, count, sum.sum());
    }
}
