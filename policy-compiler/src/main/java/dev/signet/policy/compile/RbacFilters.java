package dev.signet.policy.compile;

import dev.signet.policy.model.Action;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.Rule;
import dev.signet.policy.select.Ordered;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workload's policies for one port as RBAC rule sets, in evaluation order: AUDIT (LOG), CUSTOM (as DENY: Signet
 * has no external authorizer, so it fails closed), DENY, ALLOW. Dry-run policies become shadow rules. An ALLOW set
 * exists whenever any ALLOW policy applies, even with no rule left: that denies everything, as Istio does.
 */
final class RbacFilters {

    /** One filter's worth: the enforced rules (absent: allow everything) and the shadow rules. */
    record FilterRules(String name, Optional<RBAC> rules, Optional<RBAC> shadowRules) {}

    private RbacFilters() {}

    static List<FilterRules> build(
            List<Ordered<AuthorizationPolicy>> policies,
            boolean tcp,
            TlsFlavor flavor,
            List<String> notes,
            int port,
            RuleCache cache) {
        List<FilterRules> filters = new ArrayList<>();
        for (Action action : List.of(Action.AUDIT, Action.CUSTOM, Action.DENY, Action.ALLOW)) {
            if (action == Action.AUDIT && flavor == TlsFlavor.GRPC) {
                if (policies.stream().anyMatch(p -> p.resource().specOrEmpty().actionOrDefault() == Action.AUDIT)) {
                    notes.add("port " + port + ": AUDIT policies are not sent to gRPC clients, which cannot log them");
                }
                continue;
            }
            Map<String, Policy> enforced = new LinkedHashMap<>();
            Map<String, Policy> shadow = new LinkedHashMap<>();
            boolean anyEnforcedPolicy = false;
            for (Ordered<AuthorizationPolicy> entry : policies) {
                AuthorizationPolicy policy = entry.resource();
                if (policy.specOrEmpty().actionOrDefault() != action) {
                    continue;
                }
                anyEnforcedPolicy |= !policy.isDryRun();
                List<Rule> rules = policy.specOrEmpty().rules();
                for (int i = 0; i < rules.size(); i++) {
                    Optional<Policy> compiled = cache.compile(rules.get(i), action, tcp);
                    if (compiled.isEmpty()) {
                        notes.add("port " + port + " (TCP): " + action + " policy " + policy.key() + " rule " + i
                                + " uses HTTP-only fields and is ignored here");
                        continue;
                    }
                    (policy.isDryRun() ? shadow : enforced).put(ruleName(policy, i), compiled.get());
                }
                if (action == Action.CUSTOM && !policy.isDryRun()) {
                    notes.add("CUSTOM policy " + policy.key() + ": provider \""
                            + policy.spec().provider().name()
                            + "\" is not available in Signet; requests its rules match are denied (fail closed)");
                }
            }
            RBAC.Action rbacAction = switch (action) {
                case AUDIT -> RBAC.Action.LOG;
                case ALLOW -> RBAC.Action.ALLOW;
                default -> RBAC.Action.DENY;
            };
            boolean enforce = action == Action.ALLOW ? anyEnforcedPolicy : !enforced.isEmpty();
            if (!enforce && shadow.isEmpty()) {
                continue;
            }
            filters.add(new FilterRules(
                    action.name().toLowerCase(java.util.Locale.ROOT),
                    enforce ? Optional.of(rbac(rbacAction, enforced)) : Optional.empty(),
                    shadow.isEmpty() ? Optional.empty() : Optional.of(rbac(rbacAction, shadow))));
        }
        return filters;
    }

    /** The wire size of the rule sets: what a proxy would be sent for them. */
    static long size(List<FilterRules> filters) {
        long total = 0;
        for (FilterRules filter : filters) {
            total += filter.rules().map(RBAC::getSerializedSize).orElse(0);
            total += filter.shadowRules().map(RBAC::getSerializedSize).orElse(0);
        }
        return total;
    }

    /** An ALLOW set without a policy: it matches nothing, so it denies every request. */
    static FilterRules denyAll() {
        return new FilterRules(
                "allow",
                Optional.of(RBAC.newBuilder().setAction(RBAC.Action.ALLOW).build()),
                Optional.empty());
    }

    /** Istio's naming, so that Envoy's RBAC stats and logs read the same as under Istio. */
    static String ruleName(AuthorizationPolicy policy, int rule) {
        return "ns[" + policy.metadata().namespaceOrDefault() + "]-policy["
                + policy.metadata().name() + "]-rule[" + rule + "]";
    }

    private static RBAC rbac(RBAC.Action action, Map<String, Policy> policies) {
        return RBAC.newBuilder().setAction(action).putAllPolicies(policies).build();
    }
}
