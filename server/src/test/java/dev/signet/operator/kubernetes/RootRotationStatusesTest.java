package dev.signet.operator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.controlplane.rotation.Observations;
import dev.signet.controlplane.rotation.RootRotation;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.operator.crd.RootRotationStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The conditions a RootRotation carries in each state, as kstatus, Flux and Argo CD read them. */
class RootRotationStatusesTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration STALLED_AFTER = Duration.ofHours(48);
    private final RootRotationStatuses statuses =
            new RootRotationStatuses(() -> false, STALLED_AFTER, Clock.fixed(T0, ZoneOffset.UTC));

    private RootRotationStatus conditions(
            Optional<RootRotation> mine, Optional<String> refusal, Optional<String> queued) {
        RootRotationStatus status = RootRotationStatus.pending(1);
        return statuses.withConditions(status, mine, refusal, queued, 1, null);
    }

    private static String state(RootRotationStatus status) {
        StringBuilder out = new StringBuilder();
        for (String type : List.of("Accepted", "Ready", "Reconciling", "Stalled")) {
            Condition condition = Conditions.find(status.conditions(), type);
            out.append(type)
                    .append('=')
                    .append(condition.getStatus())
                    .append('/')
                    .append(condition.getReason())
                    .append(' ');
        }
        return out.toString().strip();
    }

    @Test
    void a_gate_that_holds_one_phase_past_the_deadline_stalls_the_rotation_until_it_moves() {
        Instant entered = T0.minus(STALLED_AFTER).minusSeconds(61);
        RootRotation held = RootRotation.start("spring", "r1", "r2", RotationMode.AUTOMATIC, 1, entered);
        RootRotationStatus stalled = conditions(Optional.of(held), Optional.empty(), Optional.empty());
        assertThat(state(stalled))
                .as("kstatus reads Reconciling before Stalled: only Stalled may be True")
                .isEqualTo("Accepted=True/Running Ready=False/GateHeld Reconciling=False/GateHeld "
                        + "Stalled=True/GateHeld");
        assertThat(Conditions.find(stalled.conditions(), "Stalled").getMessage())
                .startsWith("Prepare held for 2d1m, longer than --rotation-stalled-after (2d)");

        RootRotation manual = RootRotation.start("spring", "r1", "r2", RotationMode.MANUAL, 1, entered);
        assertThat(state(conditions(Optional.of(manual), Optional.empty(), Optional.empty())))
                .as("a Manual rotation at its target phase waits for its admin, not for a gate")
                .isEqualTo("Accepted=True/Running Ready=False/Prepare Reconciling=True/Prepare Stalled=False/Prepare");

        RootRotation inTime =
                RootRotation.start("spring", "r1", "r2", RotationMode.AUTOMATIC, 1, T0.minus(STALLED_AFTER));
        assertThat(state(conditions(Optional.of(inTime), Optional.empty(), Optional.empty())))
                .isEqualTo("Accepted=True/Running Ready=False/Prepare Reconciling=True/Prepare Stalled=False/Prepare");
    }

    @Test
    void running_queued_refused_and_complete_each_read_as_kstatus_expects() {
        RootRotation running = RootRotation.start("spring", "r1", "r2", RotationMode.AUTOMATIC, 1, T0);
        assertThat(state(conditions(Optional.of(running), Optional.empty(), Optional.empty())))
                .isEqualTo("Accepted=True/Running Ready=False/Prepare Reconciling=True/Prepare Stalled=False/Prepare");

        RootRotationStatus queued = conditions(
                Optional.empty(), Optional.empty(), Optional.of("Queued behind rotation spring (in Prepare)."));
        assertThat(state(queued))
                .isEqualTo("Accepted=True/Queued Ready=False/Queued Reconciling=True/Queued Stalled=False/Queued");
        assertThat(Conditions.find(queued.conditions(), "Reconciling").getMessage())
                .contains("spring");

        RootRotationStatus refused = conditions(
                Optional.empty(), Optional.of("spec.newRoot.secretRef.name: no Secret no-such-root"), Optional.empty());
        assertThat(state(refused))
                .isEqualTo("Accepted=False/Refused Ready=False/Refused Reconciling=False/Refused Stalled=True/Refused");
        assertThat(Conditions.find(refused.conditions(), "Stalled").getMessage())
                .contains("no-such-root");

        Observations open = new Observations(List.of(), 0, 0, 0, List.of());
        RootRotation complete = running;
        for (int step = 1; step <= 3; step++) {
            complete = complete.advance(open.withOldJwtSvidsValidFor(java.time.Duration.ZERO), T0.plusSeconds(step));
        }
        assertThat(complete.complete()).isTrue();
        RootRotationStatus done = conditions(Optional.of(complete), Optional.empty(), Optional.empty());
        assertThat(state(done))
                .as("no Running after Complete")
                .isEqualTo(
                        "Accepted=True/Complete Ready=True/Complete Reconciling=False/Complete Stalled=False/Complete");
        RootRotationStatus kept = RootRotationStatuses.observed(
                new dev.signet.controlplane.rotation.RotationStatus(
                        Optional.of(complete),
                        3,
                        Optional.of(complete.phase()),
                        "rotation complete",
                        true,
                        0,
                        0,
                        List.of(),
                        0,
                        0,
                        0,
                        complete.enteredAt(),
                        List.of(),
                        Optional.empty()),
                complete,
                1);
        assertThat(state(statuses.withConditions(kept, Optional.empty(), Optional.empty(), Optional.empty(), 1, done)))
                .as("still Current once a later rotation holds the record")
                .isEqualTo(
                        "Accepted=True/Complete Ready=True/Complete Reconciling=False/Complete Stalled=False/Complete");
    }
}
