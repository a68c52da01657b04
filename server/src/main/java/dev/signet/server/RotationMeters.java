package dev.signet.server;

import dev.signet.controlplane.rotation.RotationPhase;
import dev.signet.controlplane.rotation.RotationStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * A root rotation as gauges an alert can read: whether one runs, its phase (1 on the current one), whether its gate
 * is open, how many workloads have not confirmed, old-root leaves in use and gates forced. 0 with no rotation running.
 */
final class RotationMeters {

    private RotationMeters() {}

    /**
     * One rotation status per scrape: the status observes every agent, leaf and replica report under the
     * controller's lock, and a scrape reads ten gauges of it within microseconds.
     */
    static final class Snapshot {
        private static final long FRESH_NANOS = 1_000_000_000L;

        private final ControlPlaneBean bean;
        private final LongSupplier nanos;
        private RotationStatus last;
        private long takenAt;

        Snapshot(ControlPlaneBean bean, LongSupplier nanos) {
            this.bean = bean;
            this.nanos = nanos;
        }

        /** The status, taken again once the last one is a second old; null before the control plane starts. */
        synchronized RotationStatus get() {
            if (bean.get() == null) {
                return null;
            }
            long now = nanos.getAsLong();
            if (last == null || now - takenAt >= FRESH_NANOS) {
                last = bean.get().rotation().status();
                takenAt = now;
            }
            return last;
        }
    }

    static void bindTo(MeterRegistry registry, ControlPlaneBean bean) {
        Snapshot snapshot = new Snapshot(bean, System::nanoTime);
        for (RotationPhase phase : RotationPhase.values()) {
            register(
                    registry,
                    snapshot,
                    "signet.rotation.phase",
                    "1 on the phase the running rotation is in",
                    status -> running(status)
                                    && status.phase().filter(p -> p == phase).isPresent()
                            ? 1
                            : 0,
                    "phase",
                    phase.name().toLowerCase(Locale.ROOT));
        }
        register(
                registry,
                snapshot,
                "signet.rotation.running",
                "1 while a root rotation runs",
                status -> running(status) ? 1 : 0);
        register(
                registry,
                snapshot,
                "signet.rotation.gate.open",
                "1 when the running rotation's gate is open, 0 while it holds (or no rotation runs)",
                status -> running(status) && status.gateOpen() ? 1 : 0);
        register(
                registry,
                snapshot,
                "signet.rotation.unconfirmed",
                "Connected workloads that have not confirmed the running rotation's bundle",
                status -> running(status) ? status.total() - status.confirmed() : 0);
        register(
                registry,
                snapshot,
                "signet.rotation.old.root.leaves",
                "Leaves in use under the root the running rotation replaces",
                status -> running(status) ? status.oldRootLeavesInUse() : 0);
        register(
                registry,
                snapshot,
                "signet.rotation.forced.gates",
                "Gates the current or last rotation passed by force",
                status -> status.forced().size());
    }

    private static boolean running(RotationStatus status) {
        return status.rotation().map(r -> !r.complete()).orElse(false);
    }

    private static void register(
            MeterRegistry registry,
            Snapshot snapshot,
            String name,
            String description,
            ToDoubleFunction<RotationStatus> value,
            String... tags) {
        Gauge.builder(name, snapshot, s -> {
                    RotationStatus status = s.get();
                    return status == null ? 0 : value.applyAsDouble(status);
                })
                .description(description)
                .tags(tags)
                // Micrometer holds a gauge's object weakly: the snapshot, referenced nowhere else, was collected
                // after a while and every rotation gauge read NaN.
                .strongReference(true)
                .register(registry);
    }
}
