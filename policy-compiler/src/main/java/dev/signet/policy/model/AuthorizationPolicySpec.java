package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Istio's AuthorizationPolicy spec. An absent action means ALLOW; an ALLOW policy without rules matches nothing. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuthorizationPolicySpec(Selector selector, TargetRef targetRef, List<TargetRef> targetRefs, Action action,
                                      Provider provider, List<Rule> rules) {
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
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(targetRef), targetRefs.stream()).toList();
    }
}
