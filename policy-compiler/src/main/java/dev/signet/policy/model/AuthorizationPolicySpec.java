package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Istio's AuthorizationPolicy spec. An absent action means ALLOW; an ALLOW policy without rules matches nothing.
 * The annotations are the schema rules of the generated CRD (Istio's own, so YAML valid there is valid here).
 */
@JsonClassDescription(
        "Istio's AuthorizationPolicy spec: the workloads it applies to, the action and the rules a request must match.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
        value = "(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1",
        message = "only one of targetRefs or selector can be set")
public record AuthorizationPolicySpec(
        @JsonPropertyDescription("The workloads this policy applies to, by pod labels. Absent: every workload of the "
                + "namespace (or of the mesh, in the root namespace).")
        Selector selector,

        @JsonPropertyDescription("Deprecated form of targetRefs: one resource this policy attaches to.")
        TargetRef targetRef,

        @JsonPropertyDescription("The resources this policy attaches to (Services); exclusive with selector.")
        @Size(max = 16)
        List<TargetRef> targetRefs,

        @JsonPropertyDescription("What a matching request gets: ALLOW (the default), DENY, AUDIT (recorded only) or "
                + "CUSTOM (an external authorizer).")
        Action action,

        @JsonPropertyDescription("The external authorizer of a CUSTOM policy; only with action CUSTOM.")
        Provider provider,

        @JsonPropertyDescription("A request matches the policy when it matches one rule. No rules: an ALLOW policy "
                + "matches nothing; [{}] matches every request.")
        @Size(max = 512)
        List<Rule> rules) {
    public AuthorizationPolicySpec {
        targetRefs = Lists.of(targetRefs);
        rules = Lists.of(rules);
    }

    public static AuthorizationPolicySpec empty() {
        return new AuthorizationPolicySpec(null, null, null, null, null, null);
    }

    public Action actionOrDefault() {
        return action == null ? Action.ALLOW : action;
    }

    /** Both the deprecated singular {@code targetRef} and {@code targetRefs}. */
    public List<TargetRef> allTargetRefs() {
        if (targetRef == null) {
            return targetRefs;
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(targetRef), targetRefs.stream())
                .toList();
    }
}
