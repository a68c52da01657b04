package dev.signet.operator.kubernetes;

import dev.signet.ca.HumanDuration;
import dev.signet.controlplane.rotation.RootRotation;
import dev.signet.controlplane.rotation.RotationPhase;
import dev.signet.controlplane.rotation.RotationStatus;
import dev.signet.operator.crd.RootRotationStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a RootRotation resource's status says: the rotation as the controller observed it (phase, gate, counts, the
 * times each phase was entered, forced gates) and its conditions.
 */
final class RootRotationStatuses {

    private final BooleanSupplier rootAgeing;
    private final Duration stalledAfter;
    private final Clock clock;

    /** {@code stalledAfter}: how long one phase may be held by its gate before the rotation counts as stalled. */
    RootRotationStatuses(BooleanSupplier rootAgeing, Duration stalledAfter, Clock clock) {
        this.rootAgeing = rootAgeing;
        this.stalledAfter = stalledAfter;
        this.clock = clock;
    }

    /** {@code Activate} for ACTIVATE: how phases are written in the resource. */
    static String phaseName(RotationPhase phase) {
        String name = phase.name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /** The status of {@code r}, as {@code seen} just now, for {@code generation} (its conditions still to add). */
    static RootRotationStatus observed(RotationStatus seen, RootRotation r, long generation) {
        Map<String, String> times = new LinkedHashMap<>();
        r.enteredAt()
                .forEach((phase, at) -> times.put(
                        phaseName(phase).toLowerCase(java.util.Locale.ROOT),
                        at.truncatedTo(ChronoUnit.SECONDS).toString()));
        List<RootRotationStatus.ForcedGate> forced = r.forced().stream()
                .map(f -> new RootRotationStatus.ForcedGate(
                        phaseName(f.phase()),
                        f.reason(),
                        f.at().truncatedTo(ChronoUnit.SECONDS).toString()))
                .toList();
        return new RootRotationStatus(
                generation,
                r.id(),
                phaseName(r.phase()),
                r.rollback(),
                seen.bundleVersion(),
                seen.gate(),
                r.complete() ? null : seen.gateOpen(),
                seen.advancesAt()
                        .map(at -> at.truncatedTo(ChronoUnit.SECONDS).toString())
                        .orElse(null),
                seen.confirmed() + "/" + seen.total(),
                seen.laggards(),
                seen.namespacesPublished() + "/" + seen.namespacesTotal(),
                seen.oldRootLeavesInUse(),
                r.fromRoot(),
                r.toRoot(),
                times,
                forced,
                List.of());
    }

    /**
     * {@code status} with its conditions: Accepted (or the refusal), Progressing (the phase and its gate), RootExpiring;
     * and kstatus' (what Flux and CI waits read): Ready once the rotation is complete, Reconciling while it runs or
     * waits to, Stalled when it was refused or its gate has held one phase longer than {@code stalledAfter} (kstatus
     * then reads it as Failed, which a running rotation otherwise never is). Each keeps its transition time while its
     * status stays.
     */
    RootRotationStatus withConditions(
            RootRotationStatus status,
            Optional<RootRotation> mine,
            Optional<String> refusal,
            Optional<String> queued,
            long generation,
            RootRotationStatus previous) {
        Instant now = clock.instant();
        List<Condition> before = previous == null ? List.of() : previous.conditions();
        List<Condition> conditions = new ArrayList<>();
        boolean started = mine.isPresent() || status.rotationId() != null;
        // Once a later rotation holds the record, this one's own status (kept from before) is what says it completed.
        boolean complete = mine.map(RootRotation::complete)
                .orElse(status.rotationId() != null && Reasons.COMPLETE.equals(status.phase()));
        Condition accepted = refusal.map(
                        message -> Conditions.condition(Reasons.ACCEPTED, false, Reasons.REFUSED, message, generation))
                .orElseGet(() -> !started
                        ? queued.map(message -> Conditions.condition(
                                        Reasons.ACCEPTED, true, Reasons.QUEUED, message, generation))
                                .orElseGet(() -> Conditions.condition(
                                        Reasons.ACCEPTED, false, Reasons.WAITING, "Waiting to start.", generation))
                        : complete
                                ? Conditions.condition(
                                        Reasons.ACCEPTED,
                                        true,
                                        Reasons.COMPLETE,
                                        "The rotation ran as asked.",
                                        generation)
                                : Conditions.condition(
                                        Reasons.ACCEPTED,
                                        true,
                                        Reasons.RUNNING,
                                        "The rotation runs as asked.",
                                        generation));
        conditions.add(Conditions.keepTransitionTime(accepted, before, now));
        boolean progressing = mine.map(r -> !r.complete()).orElse(false);
        Optional<Duration> held = refusal.isPresent() || complete
                ? Optional.empty()
                // A Manual rotation at its target phase waits for its admin, not for a gate.
                : mine.filter(r -> r.target().compareTo(r.phase()) > 0)
                        .flatMap(r -> Optional.ofNullable(r.enteredAt().get(r.phase())))
                        .map(entered -> Duration.between(entered, now))
                        .filter(time -> time.compareTo(stalledAfter) > 0);
        String state = refusal.isPresent()
                ? Reasons.REFUSED
                : complete
                        ? Reasons.COMPLETE
                        : held.isPresent()
                                ? Reasons.GATE_HELD
                                : mine.map(r -> phaseName(r.phase()))
                                        .orElse(queued.isPresent() ? Reasons.QUEUED : Reasons.WAITING);
        String stateMessage = refusal.or(() -> queued)
                .orElseGet(() -> complete
                        ? "The rotation is complete."
                        : mine.map(r -> phaseName(r.phase())
                                        + held.map(time -> " held for "
                                                        + HumanDuration.format(time.truncatedTo(ChronoUnit.MINUTES))
                                                        + ", longer than --rotation-stalled-after ("
                                                        + HumanDuration.format(stalledAfter)
                                                        + "); force the gate, roll back or mend what holds it")
                                                .orElse("")
                                        + ": " + status.gate())
                                .orElse("Waiting to start."));
        boolean stalled = refusal.isPresent() || held.isPresent();
        conditions.add(Conditions.keepTransitionTime(
                Conditions.condition(Reasons.READY, complete, state, stateMessage, generation), before, now));
        conditions.add(Conditions.keepTransitionTime(
                Conditions.condition(Reasons.RECONCILING, !complete && !stalled, state, stateMessage, generation),
                before,
                now));
        conditions.add(Conditions.keepTransitionTime(
                Conditions.condition(Reasons.STALLED, stalled, state, stateMessage, generation), before, now));
        String progress = mine.map(r -> r.complete() ? Reasons.COMPLETE : phaseName(r.phase()))
                .orElse(Reasons.NOT_STARTED);
        conditions.add(Conditions.keepTransitionTime(
                Conditions.condition(
                        Reasons.PROGRESSING,
                        progressing,
                        progress,
                        mine.map(r -> r.complete() ? "The rotation is complete." : status.gate())
                                .orElse("No rotation runs " + "for this resource."),
                        generation),
                before,
                now));
        boolean ageing = rootAgeing.getAsBoolean();
        conditions.add(Conditions.keepTransitionTime(
                Conditions.condition(
                        Reasons.ROOT_EXPIRING,
                        ageing,
                        ageing ? Reasons.WITHIN_MARGIN : Reasons.FRESH,
                        ageing
                                ? "The signing root is within its expiry margin; rotate it."
                                : "The signing root is outside its expiry margin.",
                        generation),
                before,
                now));
        return status.withConditions(conditions);
    }
}
