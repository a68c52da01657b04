package dev.signet.operator.kubernetes;

import dev.signet.operator.crd.PolicyStatus;
import dev.signet.policy.validate.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place a policy's status is decided: {@code Accepted} says whether the spec is valid (the message names each
 * field in error), {@code Ready} whether this generation is what proxies are given; and, for kstatus (Flux, CI
 * waits), {@code Reconciling} while a valid generation is not in force yet and {@code Stalled} while the spec is
 * invalid, which no retry mends. A plain function of what was observed; transition times move only when a
 * condition's status changes.
 */
final class PolicyConditions {

    static final String ACCEPTED = Reasons.ACCEPTED;
    static final String READY = Reasons.READY;

    private PolicyConditions() {}

    /**
     * What the operator observed of one policy; {@code failClosed} says what is enforced in place of a policy that
     * has never been valid (empty for one that changes no decision, such as AUDIT).
     */
    record Observed(
            long generation, List<FieldError> errors, Optional<Long> generationInForce, Optional<String> failClosed) {
        boolean valid() {
            return errors.isEmpty();
        }

        boolean pending() {
            return valid() && !generationInForce.equals(Optional.of(generation));
        }
    }

    static PolicyStatus decide(Observed observed, PolicyStatus previous, Instant now) {
        Condition accepted = observed.valid()
                ? Conditions.condition(ACCEPTED, true, Reasons.VALID, "The spec is valid.", observed.generation())
                : Conditions.condition(
                        ACCEPTED, false, Reasons.INVALID_SPEC, errorsMessage(observed.errors()), observed.generation());
        Condition ready;
        if (observed.valid()) {
            ready = observed.pending()
                    ? Conditions.condition(
                            READY,
                            false,
                            Reasons.PENDING,
                            "Generation " + observed.generation()
                                    + " is valid and waiting to be compiled into the proxies' configuration.",
                            observed.generation())
                    : Conditions.condition(
                            READY,
                            true,
                            Reasons.IN_FORCE,
                            "Generation " + observed.generation() + " is in the configuration pushed to proxies.",
                            observed.generation());
        } else {
            ready = observed.generationInForce()
                    .map(good -> Conditions.condition(
                            READY,
                            false,
                            Reasons.LAST_GOOD_IN_FORCE,
                            "Generation " + observed.generation() + " is invalid; generation " + good
                                    + " stays in force.",
                            observed.generation()))
                    .orElseGet(() -> observed.failClosed()
                            .map(meaning -> Conditions.condition(
                                    READY,
                                    false,
                                    Reasons.FAILED_CLOSED,
                                    "No generation of this " + "policy has been valid; until one is, it is " + meaning
                                            + ".",
                                    observed.generation()))
                            .orElseGet(() -> Conditions.condition(
                                    READY,
                                    false,
                                    Reasons.INVALID_SPEC,
                                    "No generation of this " + "policy has been valid; none of it is in force.",
                                    observed.generation())));
        }
        Condition reconciling = observed.pending()
                ? Conditions.condition(
                        Reasons.RECONCILING, true, Reasons.PENDING, ready.getMessage(), observed.generation())
                : Conditions.condition(
                        Reasons.RECONCILING, false, ready.getReason(), ready.getMessage(), observed.generation());
        Condition stalled = observed.valid()
                ? Conditions.condition(
                        Reasons.STALLED, false, Reasons.VALID, "The spec is valid.", observed.generation())
                : Conditions.condition(
                        Reasons.STALLED, true, Reasons.INVALID_SPEC, accepted.getMessage(), observed.generation());
        List<Condition> previousConditions = previous == null ? List.of() : previous.conditions();
        return new PolicyStatus(
                observed.generation(),
                List.of(accepted, ready, reconciling, stalled).stream()
                        .map(condition -> Conditions.keepTransitionTime(condition, previousConditions, now))
                        .toList());
    }

    /** True when Accepted just turned False for this generation: the moment to record an Event. */
    static boolean newlyRejected(PolicyStatus previous, PolicyStatus next) {
        Condition now = Conditions.find(next.conditions(), ACCEPTED);
        if (now == null || !"False".equals(now.getStatus())) {
            return false;
        }
        Condition before = previous == null ? null : Conditions.find(previous.conditions(), ACCEPTED);
        return before == null
                || !"False".equals(before.getStatus())
                || !Objects.equals(before.getObservedGeneration(), now.getObservedGeneration());
    }

    static String errorsMessage(List<FieldError> errors) {
        return errors.stream()
                .map(error -> error.field() + ": " + error.message())
                .collect(Collectors.joining("; "));
    }
}
