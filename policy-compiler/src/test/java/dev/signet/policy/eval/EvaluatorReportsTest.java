package dev.signet.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.model.Action;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.testing.Meshes;
import org.junit.jupiter.api.Test;

/** What a decision reports beside its verdict: AUDIT matches and what dry-run policies would have done. */
class EvaluatorReportsTest {

    @Test
    void audit_matches_and_dry_run_results_are_reported_without_deciding() {
        MeshPolicies mesh = Meshes.mesh(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: watch-posts, namespace: shop}
                spec:
                  action: AUDIT
                  rules: [{to: [{operation: {methods: [POST]}}]}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: trial-deny, namespace: shop, annotations: {istio.io/dry-run: "true"}}
                spec:
                  action: DENY
                  rules: [{to: [{operation: {paths: ["/x"]}}]}, {to: [{operation: {paths: ["/charge"]}}]}]
                """);
        Decision decision = new Evaluator(mesh)
                .evaluate(
                        Meshes.payments(mesh),
                        Request.builder(8080)
                                .from("cluster.local/ns/shop/sa/checkout")
                                .method("POST")
                                .path("/charge")
                                .build());
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.audited()).containsExactly(new PolicyMatch("shop/watch-posts", Action.AUDIT, 0));
        assertThat(decision.dryRun()).containsExactly("dry-run DENY policy shop/trial-deny rule 1 matched");

        Decision get = new Evaluator(mesh)
                .evaluate(
                        Meshes.payments(mesh),
                        Request.builder(8080)
                                .from("cluster.local/ns/shop/sa/checkout")
                                .method("GET")
                                .path("/other")
                                .build());
        assertThat(get.audited()).isEmpty();
        assertThat(get.dryRun()).containsExactly("dry-run DENY policy shop/trial-deny did not match");
    }
}
