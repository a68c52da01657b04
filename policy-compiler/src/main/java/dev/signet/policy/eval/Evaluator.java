package dev.signet.policy.eval;

import dev.signet.policy.model.Action;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.MtlsMode;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadPort;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.select.MtlsDecision;
import dev.signet.policy.select.Ordered;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides a request the way the mesh must: the port's mTLS mode first, then CUSTOM, DENY and ALLOW policies in
 * that order; no ALLOW policy means allow, ALLOW policies that all fail to match mean deny. AUDIT and dry-run
 * policies are reported, never decisive. CUSTOM has no external authorizer in Signet, so a matching CUSTOM rule
 * denies (fail closed).
 */
public final class Evaluator {

    private final MeshPolicies mesh;

    public Evaluator(MeshPolicies mesh) {
        this.mesh = mesh;
    }

    public Decision evaluate(Workload workload, Request request) {
        Optional<WorkloadPort> port = workload.spec().ports().stream()
                .filter(p -> p.port() == request.port())
                .findFirst();
        if (port.isEmpty()) {
            return deny(
                    "workload " + workload.key() + " has no port " + request.port(),
                    Optional.empty(),
                    List.of(),
                    List.of());
        }
        MtlsDecision mtls = mesh.mtls(workload, request.port());
        if (mtls.mode() == MtlsMode.STRICT && !request.tls()) {
            return deny(
                    "port " + request.port() + " requires mutual TLS (STRICT, from " + mtls.decidedBy()
                            + "); a plaintext connection is refused",
                    Optional.empty(),
                    List.of(),
                    List.of());
        }
        Request effective = mtls.mode() == MtlsMode.DISABLE && request.tls()
                ? new Request(
                        request.port(),
                        false,
                        null,
                        request.sourceIp(),
                        request.remoteIp(),
                        request.destinationIp(),
                        request.sni(),
                        request.method(),
                        request.path(),
                        request.host(),
                        request.headers(),
                        request.requestPrincipal(),
                        request.audiences(),
                        request.presenter(),
                        request.claims())
                : request;
        boolean tcp = !port.get().protocolOrDefault().isHttp();

        List<Ordered<AuthorizationPolicy>> policies = mesh.authorizationPoliciesFor(workload);
        List<PolicyMatch> audited = new ArrayList<>();
        List<String> dryRun = new ArrayList<>();
        for (Ordered<AuthorizationPolicy> entry : policies) {
            AuthorizationPolicy policy = entry.resource();
            Optional<PolicyMatch> match = firstMatch(policy, effective, tcp);
            if (policy.isDryRun()) {
                dryRun.add(match.map(m -> "dry-run " + m + " matched")
                        .orElse("dry-run " + policy.specOrEmpty().actionOrDefault() + " policy " + policy.key()
                                + " did not match"));
            } else if (match.isPresent() && match.get().action() == Action.AUDIT) {
                audited.add(match.get());
            }
        }
        for (Action action : List.of(Action.CUSTOM, Action.DENY)) {
            for (Ordered<AuthorizationPolicy> entry : policies) {
                AuthorizationPolicy policy = entry.resource();
                if (policy.isDryRun() || policy.specOrEmpty().actionOrDefault() != action) {
                    continue;
                }
                Optional<PolicyMatch> match = firstMatch(policy, effective, tcp);
                if (match.isPresent()) {
                    String why = action == Action.CUSTOM
                            ? "matched " + match.get() + "; its provider \""
                                    + policy.spec().provider().name()
                                    + "\" is not available in Signet, so the request is denied (fail closed)"
                            : "denied by " + match.get();
                    return deny(why, match, audited, dryRun);
                }
            }
        }
        boolean anyAllow = false;
        for (Ordered<AuthorizationPolicy> entry : policies) {
            AuthorizationPolicy policy = entry.resource();
            if (policy.isDryRun() || policy.specOrEmpty().actionOrDefault() != Action.ALLOW) {
                continue;
            }
            anyAllow = true;
            Optional<PolicyMatch> match = firstMatch(policy, effective, tcp);
            if (match.isPresent()) {
                return new Decision(Decision.Verdict.ALLOW, "allowed by " + match.get(), match, audited, dryRun);
            }
        }
        if (!anyAllow) {
            return new Decision(
                    Decision.Verdict.ALLOW,
                    "no ALLOW policy applies to " + workload.key()
                            + ", so requests that no DENY policy matches are allowed",
                    Optional.empty(),
                    audited,
                    dryRun);
        }
        return deny(
                "ALLOW policies apply to " + workload.key() + " but none matched", Optional.empty(), audited, dryRun);
    }

    private static Optional<PolicyMatch> firstMatch(AuthorizationPolicy policy, Request request, boolean tcp) {
        Action action = policy.specOrEmpty().actionOrDefault();
        List<Rule> rules = policy.specOrEmpty().rules();
        for (int i = 0; i < rules.size(); i++) {
            if (RuleMatcher.matches(rules.get(i), request, tcp, action)) {
                return Optional.of(new PolicyMatch(policy.key(), action, i));
            }
        }
        return Optional.empty();
    }

    private static Decision deny(
            String reason, Optional<PolicyMatch> by, List<PolicyMatch> audited, List<String> dryRun) {
        return new Decision(Decision.Verdict.DENY, reason, by, audited, dryRun);
    }
}
