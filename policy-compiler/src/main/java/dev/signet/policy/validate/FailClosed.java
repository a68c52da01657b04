package dev.signet.policy.validate;

import dev.signet.policy.model.Action;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.AuthorizationPolicySpec;
import dev.signet.policy.model.Mtls;
import dev.signet.policy.model.MtlsMode;
import dev.signet.policy.model.ObjectMeta;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.PeerAuthenticationSpec;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.Selector;
import dev.signet.policy.model.TargetRef;
import java.util.List;
import java.util.Optional;

/**
 * What is enforced for a policy that has never been valid. Leaving it out would widen access: without its only ALLOW
 * policy a workload allows every caller, where Istio, given the same YAML, denies (an ALLOW policy whose rules never
 * match). So an invalid policy is replaced by the narrowest policy of its kind, on the workloads it selects: an ALLOW
 * policy that matches nothing, a DENY policy that matches everything (for DENY and CUSTOM, whose intent cannot be
 * read), STRICT mutual TLS. When the selector or target itself is in error, the stand-in takes the policy's whole
 * scope (its namespace, or the mesh from the root namespace). AUDIT and dry-run policies never change a decision,
 * so nothing stands in for them.
 */
public final class FailClosed {

    private FailClosed() {}

    /** A stand-in and what it means, in words for status messages, logs and {@code signet check}. */
    public record StandIn(Resource resource, String meaning) {}

    /** The stand-in for {@code invalid}, given the errors that make it invalid (warnings are ignored). */
    public static Optional<StandIn> of(Resource invalid, List<FieldError> errors) {
        boolean scopeInError = errors.stream()
                .filter(error -> !error.warning())
                .map(error -> error.field().toString())
                .anyMatch(field -> field.startsWith("spec.selector") || field.startsWith("spec.targetRef"));
        if (invalid instanceof AuthorizationPolicy policy) {
            return authorization(
                    policy.metadata() != null
                            ? policy
                            : new AuthorizationPolicy(
                                    policy.apiVersion(), policy.kind(), unnamed(policy), policy.spec()),
                    scopeInError);
        }
        if (invalid instanceof PeerAuthentication policy) {
            PeerAuthentication named = policy.metadata() != null
                    ? policy
                    : new PeerAuthentication(policy.apiVersion(), policy.kind(), unnamed(policy), policy.spec());
            return Optional.of(strict(
                    named,
                    scopeInError || policy.spec() == null ? null : policy.spec().selector()));
        }
        return Optional.empty();
    }

    /**
     * The stand-in for a policy document that could not even be read into the model (unknown fields, wrong types):
     * its action and selector cannot be trusted, so it denies everything in its whole scope.
     */
    public static Optional<StandIn> unreadable(String kind, String apiVersion, ObjectMeta metadata) {
        if (AuthorizationPolicy.KIND.equals(kind)) {
            return Optional.of(deny(new AuthorizationPolicy(apiVersion, kind, metadata, null), null, List.of(), true));
        }
        if (PeerAuthentication.KIND.equals(kind)) {
            return Optional.of(strict(new PeerAuthentication(apiVersion, kind, metadata, null), null));
        }
        return Optional.empty();
    }

    /**
     * The metadata of a nameless policy: a name of its own (from its content, so that the same document always gets the
     * same name and rule names), in the namespace it would have been applied to.
     */
    private static ObjectMeta unnamed(Resource invalid) {
        return ObjectMeta.of(
                null, "unnamed-" + Integer.toHexString(invalid.toString().hashCode()));
    }

    private static Optional<StandIn> authorization(AuthorizationPolicy policy, boolean scopeInError) {
        AuthorizationPolicySpec spec = policy.specOrEmpty();
        if (spec.actionOrDefault() == Action.AUDIT || policy.isDryRun()) {
            return Optional.empty();
        }
        Selector selector = scopeInError ? null : spec.selector();
        List<TargetRef> targets = scopeInError ? List.of() : spec.allTargetRefs();
        boolean wholeScope = selector == null && targets.isEmpty();
        if (spec.actionOrDefault() == Action.ALLOW) {
            AuthorizationPolicy matchesNothing = new AuthorizationPolicy(
                    policy.apiVersion(),
                    policy.kind(),
                    policy.metadata(),
                    new AuthorizationPolicySpec(selector, null, targets, Action.ALLOW, null, List.of()));
            return Optional.of(new StandIn(
                    matchesNothing,
                    "enforced as an ALLOW policy that matches no request (as Istio " + "would): "
                            + scope(wholeScope, policy) + " deny every request that no other ALLOW policy allows"));
        }
        return Optional.of(deny(policy, selector, targets, wholeScope));
    }

    private static StandIn strict(PeerAuthentication policy, Selector selector) {
        PeerAuthentication strict = new PeerAuthentication(
                policy.apiVersion(),
                policy.kind(),
                policy.metadata(),
                new PeerAuthenticationSpec(selector, new Mtls(MtlsMode.STRICT), null));
        return new StandIn(strict, "enforced as STRICT mutual TLS for " + scope(selector == null, policy));
    }

    private static StandIn deny(
            AuthorizationPolicy policy, Selector selector, List<TargetRef> targets, boolean wholeScope) {
        AuthorizationPolicy denyAll = new AuthorizationPolicy(
                policy.apiVersion(),
                policy.kind(),
                policy.metadata(),
                new AuthorizationPolicySpec(
                        selector, null, targets, Action.DENY, null, List.of(new Rule(null, null, null))));
        return new StandIn(
                denyAll,
                "enforced as a DENY policy that matches every request: " + scope(wholeScope, policy)
                        + " deny every request");
    }

    private static String scope(boolean wholeScope, Resource policy) {
        if (!wholeScope) {
            return "the workloads it selects";
        }
        return "all workloads in namespace " + policy.metadata().namespaceOrDefault()
                + " (its selector or target is in error, so its whole scope: the mesh, from the root namespace)";
    }
}
