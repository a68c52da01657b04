package dev.signet.policy.select;

import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.AuthorizationPolicySpec;
import dev.signet.policy.model.TargetRef;
import dev.signet.policy.model.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * Selection by scanning every policy for every workload, the way Istio selects today. Kept as the reference the
 * index is tested against and benchmarked against; not used on any serving path.
 */
public final class LinearPolicySelector {

    private final String rootNamespace;
    private final List<Ordered<AuthorizationPolicy>> policies;

    public LinearPolicySelector(String rootNamespace, List<Ordered<AuthorizationPolicy>> policies) {
        this.rootNamespace = rootNamespace;
        this.policies = List.copyOf(policies);
    }

    public List<Ordered<AuthorizationPolicy>> select(Workload workload) {
        String namespace = workload.metadata().namespaceOrDefault();
        List<Ordered<AuthorizationPolicy>> selected = new ArrayList<>();
        for (Ordered<AuthorizationPolicy> entry : policies) {
            AuthorizationPolicy policy = entry.resource();
            String policyNamespace = policy.metadata().namespaceOrDefault();
            AuthorizationPolicySpec spec = policy.spec() == null ? AuthorizationPolicySpec.empty() : policy.spec();
            List<TargetRef> refs = spec.allTargetRefs();
            if (!refs.isEmpty()) {
                boolean targeted = policyNamespace.equals(namespace)
                        && refs.stream()
                                .anyMatch(ref -> "Service".equals(ref.kind())
                                        && workload.metadata().name().equals(ref.name()));
                if (targeted) {
                    selected.add(entry);
                }
                continue;
            }
            boolean inScope = policyNamespace.equals(rootNamespace) || policyNamespace.equals(namespace);
            if (inScope
                    && (spec.selector() == null
                            || spec.selector().matches(workload.metadata().labels()))) {
                selected.add(entry);
            }
        }
        selected.sort(null);
        return selected;
    }
}
