package dev.signet.benchmarks.plane;

import dev.signet.controlplane.ControlPlane;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Samples the issued-certificates counter every 100 ms; the peak is the most issued in any ten samples. */
final class IssuanceSampler {
    private final List<Long> samples = new CopyOnWriteArrayList<>();
    private ScheduledFuture<?> task;

    static IssuanceSampler start(ControlPlane controlPlane, ScheduledExecutorService scheduler) {
        IssuanceSampler sampler = new IssuanceSampler();
        sampler.task = scheduler.scheduleAtFixedRate(
                () -> sampler.samples.add(controlPlane.metrics().issuedCount()), 0, 100, TimeUnit.MILLISECONDS);
        return sampler;
    }

    void stop() {
        task.cancel(false);
    }

    long peakPerSecond() {
        if (samples.size() <= 10) {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1) - samples.get(0);
        }
        long peak = 0;
        for (int i = 10; i < samples.size(); i++) {
            peak = Math.max(peak, samples.get(i) - samples.get(i - 10));
        }
        return peak;
    }
}
