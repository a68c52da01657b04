package dev.signet.operator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.operator.crd.PolicyStatus;
import dev.signet.policy.validate.FieldError;
import dev.signet.policy.validate.FieldPath;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyConditionsTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);
    static final List<FieldError> PATH_ERROR = List.of(FieldError.error(
            FieldPath.of("spec")
                    .field("rules")
                    .index(0)
                    .field("to")
                    .index(0)
                    .field("operation")
                    .field("paths")
                    .index(0),
            "must start with '/'"));

    private static Condition get(PolicyStatus status, String type) {
        return status.conditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void a_valid_generation_in_force_is_accepted_and_ready() {
        PolicyStatus status = PolicyConditions.decide(
                new PolicyConditions.Observed(3, List.of(), Optional.of(3L), Optional.empty()), null, T0);
        assertThat(status.observedGeneration()).isEqualTo(3);
        assertThat(get(status, "Accepted").getStatus()).isEqualTo("True");
        assertThat(get(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(get(status, "Ready").getReason()).isEqualTo("InForce");
        assertThat(get(status, "Ready").getObservedGeneration()).isEqualTo(3);
        assertThat(get(status, "Reconciling").getStatus())
                .as("kstatus: Current")
                .isEqualTo("False");
        assertThat(get(status, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void a_valid_generation_not_yet_compiled_is_pending() {
        PolicyConditions.Observed observed =
                new PolicyConditions.Observed(4, List.of(), Optional.of(3L), Optional.empty());
        PolicyStatus status = PolicyConditions.decide(observed, null, T0);
        assertThat(observed.pending()).isTrue();
        assertThat(get(status, "Ready").getReason()).isEqualTo("Pending");
        assertThat(get(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(get(status, "Reconciling").getStatus())
                .as("kstatus: InProgress")
                .isEqualTo("True");
        assertThat(get(status, "Reconciling").getReason()).isEqualTo("Pending");
        assertThat(get(status, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void an_invalid_generation_names_the_field_and_says_which_generation_stays() {
        PolicyStatus status = PolicyConditions.decide(
                new PolicyConditions.Observed(5, PATH_ERROR, Optional.of(4L), Optional.empty()), null, T0);
        assertThat(get(status, "Accepted").getStatus()).isEqualTo("False");
        assertThat(get(status, "Accepted").getReason()).isEqualTo("InvalidSpec");
        assertThat(get(status, "Accepted").getMessage())
                .isEqualTo("spec.rules[0].to[0].operation.paths[0]: must start with '/'");
        assertThat(get(status, "Ready").getReason()).isEqualTo("LastGoodInForce");
        assertThat(get(status, "Stalled").getStatus())
                .as("kstatus: Failed, with the fields")
                .isEqualTo("True");
        assertThat(get(status, "Stalled").getMessage())
                .isEqualTo(get(status, "Accepted").getMessage());
        assertThat(get(status, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(get(status, "Ready").getMessage()).contains("Generation 5 is invalid; generation 4 stays in force");
    }

    @Test
    void a_policy_never_valid_that_changes_no_decision_has_nothing_in_force() {
        PolicyStatus status = PolicyConditions.decide(
                new PolicyConditions.Observed(1, PATH_ERROR, Optional.empty(), Optional.empty()), null, T0);
        assertThat(get(status, "Ready").getReason()).isEqualTo("InvalidSpec");
        assertThat(get(status, "Ready").getMessage()).contains("none of it is in force");
    }

    @Test
    void a_policy_never_valid_says_what_is_enforced_in_its_place() {
        PolicyStatus status = PolicyConditions.decide(
                new PolicyConditions.Observed(
                        1,
                        PATH_ERROR,
                        Optional.empty(),
                        Optional.of("enforced as an ALLOW policy that matches no request")),
                null,
                T0);
        assertThat(get(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(get(status, "Ready").getReason()).isEqualTo("FailedClosed");
        assertThat(get(status, "Ready").getMessage())
                .isEqualTo("No generation of this policy has been valid; until one "
                        + "is, it is enforced as an ALLOW policy that matches no request.");
    }

    @Test
    void transition_times_move_only_when_a_status_changes_so_an_unchanged_status_is_not_rewritten() {
        PolicyStatus first = PolicyConditions.decide(
                new PolicyConditions.Observed(1, List.of(), Optional.of(1L), Optional.empty()), null, T0);
        PolicyStatus same = PolicyConditions.decide(
                new PolicyConditions.Observed(1, List.of(), Optional.of(1L), Optional.empty()), first, T1);
        assertThat(same).isEqualTo(first);
        PolicyStatus broken = PolicyConditions.decide(
                new PolicyConditions.Observed(2, PATH_ERROR, Optional.of(1L), Optional.empty()), same, T1);
        assertThat(get(broken, "Accepted").getLastTransitionTime()).isEqualTo(T1.toString());
    }

    @Test
    void an_event_is_due_once_per_rejected_generation() {
        PolicyStatus valid = PolicyConditions.decide(
                new PolicyConditions.Observed(1, List.of(), Optional.of(1L), Optional.empty()), null, T0);
        PolicyStatus rejected = PolicyConditions.decide(
                new PolicyConditions.Observed(2, PATH_ERROR, Optional.of(1L), Optional.empty()), valid, T1);
        assertThat(PolicyConditions.newlyRejected(valid, rejected)).isTrue();
        assertThat(PolicyConditions.newlyRejected(rejected, rejected)).isFalse();
        PolicyStatus rejectedAgain = PolicyConditions.decide(
                new PolicyConditions.Observed(3, PATH_ERROR, Optional.of(1L), Optional.empty()), rejected, T1);
        assertThat(PolicyConditions.newlyRejected(rejected, rejectedAgain)).isTrue();
        assertThat(PolicyConditions.newlyRejected(null, valid)).isFalse();
    }
}
