package dev.signet.controlplane.rotation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One root rotation, durable as it stands: persisting this record is enough to resume after a crash in the same
 * phase. Immutable; every step returns the next state. Roots are named by their SHA-256 fingerprints.
 *
 * <p>Which roots are trusted and which one signs follow from the phase alone, so two roots can never sign at once.
 * A rollback is a rotation the other way round, entered at the phase that matches what the mesh holds now; it then
 * walks the same gates, so no leaf is left unverifiable on the way back.
 *
 * @param bundleVersion the trust-bundle version this phase publishes
 * @param target        how far the rotation may go: {@link RotationPhase#COMPLETE} when automatic, the phase an admin
 *                      last asked for when manual
 * @param rollback      whether this rotation undoes an earlier one (its {@code to} is the root it started from)
 */
public record RootRotation(
        String id,
        String fromRoot,
        String toRoot,
        RotationPhase phase,
        RotationMode mode,
        RotationPhase target,
        boolean rollback,
        long bundleVersion,
        Instant startedAt,
        Map<RotationPhase, Instant> enteredAt,
        List<ForcedGate> forced) {

    public RootRotation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(target, "target");
        if (fromRoot.equals(toRoot)) {
            throw new IllegalArgumentException("a rotation needs two different roots");
        }
        enteredAt = Map.copyOf(enteredAt);
        forced = List.copyOf(forced);
    }

    /**
     * Starts replacing {@code fromRoot} by {@code toRoot}: PREPARE publishes the next bundle version with both.
     * Manual rotations stay in PREPARE until an admin advances them.
     */
    public static RootRotation start(
            String id, String fromRoot, String toRoot, RotationMode mode, long currentBundleVersion, Instant now) {
        return new RootRotation(
                id,
                fromRoot,
                toRoot,
                RotationPhase.PREPARE,
                mode,
                mode == RotationMode.AUTOMATIC ? RotationPhase.COMPLETE : RotationPhase.PREPARE,
                false,
                currentBundleVersion + 1,
                now,
                Map.of(RotationPhase.PREPARE, now),
                List.of());
    }

    /** The root whose authority signs leaves in this phase. */
    public String signingRoot() {
        return phase.newRootSigns() ? toRoot : fromRoot;
    }

    /** The roots in the bundle this phase publishes, the signing root first. */
    public List<String> trustedRoots() {
        if (!phase.trustsOldRoot()) {
            return List.of(toRoot);
        }
        return phase.newRootSigns() ? List.of(toRoot, fromRoot) : List.of(fromRoot, toRoot);
    }

    public boolean complete() {
        return phase == RotationPhase.COMPLETE;
    }

    /** The gate that holds the current phase, judged on what was observed. */
    public Gate gate(Observations seen) {
        return switch (phase) {
            case PREPARE -> Gate.bundleConfirmed(bundleVersion, seen);
            case RETIRE -> Gate.retired(bundleVersion, seen);
            case ACTIVATE -> Gate.oldLeavesGone(bundleVersion, seen);
            case COMPLETE -> new Gate(true, "rotation complete", 0, 0, List.of());
        };
    }

    /** The next phase if the gate is open and the mode allows it; else this state unchanged. */
    public RootRotation advance(Observations seen, Instant now) {
        if (complete() || target.compareTo(phase) <= 0 || !gate(seen).open()) {
            return this;
        }
        return enter(phase.next(), now);
    }

    /** Manual mode: allows one more phase, still only once its gate opens. */
    public RootRotation allowNextPhase() {
        return allowUpTo(phase.next());
    }

    /** Manual mode: allows every phase up to {@code wanted}, each still only once its gate opens. */
    public RootRotation allowUpTo(RotationPhase wanted) {
        if (complete()) {
            throw new RotationRefused("rotation " + id + " is complete; there is no next phase");
        }
        return target.compareTo(wanted) >= 0 ? this : withTarget(wanted);
    }

    /**
     * Passes the current gate without its condition, for a reason that stays on record: for a workload that will
     * never confirm (a node gone for good), never to hurry a healthy rotation.
     */
    public RootRotation force(String reason, Instant now) {
        if (reason == null || reason.isBlank()) {
            throw new RotationRefused("forcing a gate needs a reason; it is kept in the rotation's status");
        }
        if (complete()) {
            throw new RotationRefused("rotation " + id + " is complete; there is no gate to force");
        }
        List<ForcedGate> record = new ArrayList<>(forced);
        record.add(new ForcedGate(phase, reason.strip(), now));
        RotationPhase next = phase.next();
        RotationPhase allowed = target.compareTo(next) >= 0 ? target : next;
        return new RootRotation(
                        id,
                        fromRoot,
                        toRoot,
                        phase,
                        mode,
                        allowed,
                        rollback,
                        bundleVersion,
                        startedAt,
                        enteredAt,
                        record)
                .enter(next, now);
    }

    /**
     * Turns back towards {@code fromRoot}: the same roots swap roles and the rotation re-enters at the phase that
     * matches the mesh now. From PREPARE (old root signing, both trusted) that is ACTIVATE of the way back; from
     * ACTIVATE (new root signing, both trusted) PREPARE, whose gate is already met; from RETIRE (only the new root
     * trusted) PREPARE again, publishing a bundle with both roots before the old one signs again.
     */
    public RootRotation rollBack(Instant now) {
        if (complete()) {
            throw new RotationRefused("rotation " + id + " is complete, and the old root's key is gone; to go back, "
                    + "start a new rotation");
        }
        RotationPhase entry = phase == RotationPhase.PREPARE ? RotationPhase.ACTIVATE : RotationPhase.PREPARE;
        long version = phase == RotationPhase.RETIRE ? bundleVersion + 1 : bundleVersion;
        RotationPhase newTarget = mode == RotationMode.AUTOMATIC ? RotationPhase.COMPLETE : entry;
        return new RootRotation(
                id,
                toRoot,
                fromRoot,
                entry,
                mode,
                newTarget,
                !rollback,
                version,
                startedAt,
                Map.of(entry, now),
                forced);
    }

    private RootRotation withTarget(RotationPhase newTarget) {
        return new RootRotation(
                id, fromRoot, toRoot, phase, mode, newTarget, rollback, bundleVersion, startedAt, enteredAt, forced);
    }

    private RootRotation enter(RotationPhase next, Instant now) {
        long version = next.trustsOldRoot() == phase.trustsOldRoot() ? bundleVersion : bundleVersion + 1;
        Map<RotationPhase, Instant> times = new EnumMap<>(RotationPhase.class);
        times.putAll(enteredAt);
        times.put(next, now);
        return new RootRotation(id, fromRoot, toRoot, next, mode, target, rollback, version, startedAt, times, forced);
    }
}
