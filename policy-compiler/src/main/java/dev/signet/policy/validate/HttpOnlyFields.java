package dev.signet.policy.validate;

import dev.signet.policy.model.Operation;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.RuleFrom;
import dev.signet.policy.model.RuleTo;
import dev.signet.policy.model.Source;

/**
 * Which fields only mean something for HTTP: requestPrincipals, hosts, methods, paths (and their not* forms) and
 * the {@code request.*} condition keys. On a TCP port Istio drops an ALLOW rule that uses one and leaves the
 * field out of any other rule.
 */
public final class HttpOnlyFields {

    private HttpOnlyFields() {}

    public static boolean usedBy(Rule rule) {
        for (RuleFrom from : rule.from()) {
            Source s = from.source();
            if (s != null
                    && (!s.requestPrincipals().isEmpty()
                            || !s.notRequestPrincipals().isEmpty())) {
                return true;
            }
        }
        for (RuleTo to : rule.to()) {
            Operation o = to.operation();
            if (o != null
                    && (!o.hosts().isEmpty()
                            || !o.notHosts().isEmpty()
                            || !o.methods().isEmpty()
                            || !o.notMethods().isEmpty()
                            || !o.paths().isEmpty()
                            || !o.notPaths().isEmpty())) {
                return true;
            }
        }
        return rule.when().stream()
                .anyMatch(condition -> ConditionKey.parse(condition.key())
                        .map(key -> key.key().httpOnly())
                        .orElse(false));
    }
}
