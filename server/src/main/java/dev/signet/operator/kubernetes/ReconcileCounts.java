package dev.signet.operator.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * JOSDK's monitoring hook: reconciliations started and failed, per controller, for the metrics endpoint. JOSDK's own
 * Micrometer module would do the same, with one more dependency and per-resource meters a large mesh cannot afford.
 */
public final class ReconcileCounts implements Metrics {

    /** One controller's reconciliations and failures. */
    public record Counts(long reconciles, long failures) {}

    private final Map<String, LongAdder> reconciles = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    private static String controller(HasMetadata resource, Map<String, Object> metadata) {
        Object name = metadata == null ? null : metadata.get(Constants.CONTROLLER_NAME);
        return name != null ? name.toString() : resource.getKind();
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retry, Map<String, Object> metadata) {
        reconciles
                .computeIfAbsent(controller(resource, metadata), c -> new LongAdder())
                .increment();
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        failures.computeIfAbsent(controller(resource, metadata), c -> new LongAdder())
                .increment();
    }

    /** Each controller that has reconciled, by name, in name order. */
    public Map<String, Counts> counts() {
        Map<String, Counts> counts = new TreeMap<>();
        reconciles.forEach((name, count) -> counts.put(name, new Counts(count.sum(), sum(failures.get(name)))));
        failures.forEach((name, count) -> counts.putIfAbsent(name, new Counts(0, count.sum())));
        return counts;
    }

    private static long sum(LongAdder adder) {
        return adder == null ? 0 : adder.sum();
    }
}
