package dev.signet.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Durations fall in the first bucket whose bound they do not pass; buckets are cumulative, as Prometheus reads. */
class LatencyHistogramTest {

    @Test
    void each_duration_counts_in_its_bucket_and_every_bucket_above() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.observeNanos(500_000); // 0.5 ms
        histogram.observeNanos(1_000_000); // 1 ms: on the bound, counted in it
        histogram.observeNanos(700_000_000); // 0.7 s
        histogram.observeNanos(30_000_000_000L); // 30 s: past the last bound
        LatencyHistogram.Snapshot s = histogram.snapshot();
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.sum()).isCloseTo(30.7015, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.atMost(0.001)).isEqualTo(2);
        assertThat(s.atMost(0.5)).isEqualTo(2);
        assertThat(s.atMost(1)).isEqualTo(3);
        assertThat(s.atMost(10)).isEqualTo(3);
        assertThat(s.cumulative()).isSorted();
        assertThat(s.bounds()).startsWith(0.001).endsWith(10.0);
    }
}
