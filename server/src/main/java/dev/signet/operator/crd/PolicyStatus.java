package dev.signet.operator.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator observed of a policy: the generation it last processed and the {@code Accepted} (the spec is
 * valid) and {@code Ready} (this generation is in the configuration pushed to proxies) conditions, and kstatus'
 * {@code Reconciling} and {@code Stalled}.
 */
@JsonClassDescription(
        "What the operator observed of this policy: the generation it last processed and its conditions (kstatus' Ready, Reconciling and Stalled, and Accepted).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyStatus(
        @JsonPropertyDescription("The metadata.generation the conditions describe.")
        Long observedGeneration,

        @JsonPropertyDescription("Accepted: the spec is valid (else the message names the field). Ready: this "
                + "generation is in force. Reconciling: a valid generation is not in force yet. Stalled: the spec is "
                + "invalid (the message names the field).")
        List<Condition> conditions) {

    public PolicyStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
