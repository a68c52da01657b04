package dev.signet.controlplane.rotation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code signet rotate status} and the RootRotation resource show: the rotation (if any) and its gate as
 * judged just now.
 *
 * @param phase       the phase, or empty when no rotation was ever started
 * @param confirmed   workloads that confirmed the phase's bundle, of {@code total} connected
 * @param laggards    up to ten workloads (or leaf holders) that hold the gate
 * @param oldRootLeavesInUse leaves in use under the root being replaced
 */
public record RotationStatus(
        Optional<RootRotation> rotation,
        long bundleVersion,
        Optional<RotationPhase> phase,
        String gate,
        boolean gateOpen,
        int confirmed,
        int total,
        List<String> laggards,
        int namespacesPublished,
        int namespacesTotal,
        long oldRootLeavesInUse,
        Map<RotationPhase, Instant> enteredAt,
        List<ForcedGate> forced,
        Optional<Instant> advancesAt) {

    public RotationStatus {
        laggards = List.copyOf(laggards);
        enteredAt = Map.copyOf(enteredAt);
        forced = List.copyOf(forced);
    }

    /** Before any rotation: only the bundle's version to show. */
    static RotationStatus none(long bundleVersion) {
        return new RotationStatus(
                Optional.empty(),
                bundleVersion,
                Optional.empty(),
                "no rotation",
                true,
                0,
                0,
                List.of(),
                0,
                0,
                0,
                Map.of(),
                List.of(),
                Optional.empty());
    }
}
