package dev.signet.policy.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.eval.Decision;
import dev.signet.policy.eval.Evaluator;
import dev.signet.policy.eval.Request;
import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.model.MtlsMode;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.testing.Meshes;
import org.junit.jupiter.api.Test;

/**
 * An invalid policy never widens access: what is enforced in its place, decided by the reference evaluator on the
 * mesh of the valid resources and the stand-ins (as the operator builds it), against the mesh without the policy.
 */
class FailClosedTest {

    private static final String CHECKOUT = "spiffe://cluster.local/ns/shop/sa/checkout";
    private static final String OTHERS =
            Meshes.workload("shop", "ledger", "ledger", "app: ledger", "{port: 8080, protocol: HTTP}");

    private static Decision decide(LoadResult load, String workload, Request request) {
        MeshPolicies mesh = MeshPolicies.of(Meshes.ROOT, load.failingClosed());
        return new Evaluator(mesh).evaluate(mesh.workload(workload).orElseThrow(), request);
    }

    private static Decision decideWithout(LoadResult load, String workload, Request request) {
        MeshPolicies mesh = MeshPolicies.of(Meshes.ROOT, load.resources());
        return new Evaluator(mesh).evaluate(mesh.workload(workload).orElseThrow(), request);
    }

    private static Request get(String from) {
        return Request.builder(8080).from(from).method("GET").path("/charge").build();
    }

    @Test
    void the_only_allow_policy_of_a_workload_invalid_denies_everyone_instead_of_allowing_everyone() {
        LoadResult load = Meshes.load(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: lowercase, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules: [{to: [{operation: {methods: ["get"]}}]}]
                """);
        assertThat(load.hasErrors()).isTrue();
        assertThat(decideWithout(load, "shop/payments", get(CHECKOUT)).allowed())
                .as("left out, the workload has no ALLOW policy: this is the hole")
                .isTrue();
        Decision decision = decide(load, "shop/payments", get(CHECKOUT));
        assertThat(decision.allowed()).isFalse();
        assertThat(load.diagnostics())
                .filteredOn(d -> d.severity() == Diagnostic.Severity.NOTE)
                .singleElement()
                .satisfies(note -> assertThat(note.format())
                        .contains("AuthorizationPolicy shop/lowercase")
                        .contains("enforced as an ALLOW policy that matches no request"));
    }

    @Test
    void an_invalid_allow_policy_takes_nothing_from_what_other_allow_policies_grant() {
        LoadResult load = Meshes.load(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: checkout-may, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"]}}]}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: broken, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules: [{to: [{operation: {paths: ["no-slash"]}}]}]
                """);
        assertThat(decide(load, "shop/payments", get(CHECKOUT)).allowed()).isTrue();
        assertThat(decide(load, "shop/payments", get("spiffe://cluster.local/ns/shop/sa/other"))
                        .allowed())
                .isFalse();
    }

    @Test
    void an_invalid_deny_policy_denies_everything_it_selects_and_nothing_else() {
        LoadResult load = Meshes.load(Meshes.PAYMENTS + OTHERS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: broken-deny, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  action: DENY
                  rules: [{to: [{operation: {methods: ["delete"]}}]}]
                """);
        assertThat(decideWithout(load, "shop/payments", get(CHECKOUT)).allowed())
                .isTrue();
        Decision decision = decide(load, "shop/payments", get(CHECKOUT));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.decidedBy())
                .hasValueSatisfying(match -> assertThat(match.policy()).contains("broken-deny"));
        assertThat(decide(load, "shop/ledger", get(CHECKOUT)).allowed())
                .as("not selected")
                .isTrue();
        // On a TCP port too: the stand-in has no HTTP field to drop.
        assertThat(decide(
                                load,
                                "shop/payments",
                                Request.builder(9000).from(CHECKOUT).build())
                        .allowed())
                .isFalse();
    }

    @Test
    void an_invalid_custom_policy_fails_closed_as_a_deny() {
        LoadResult load = Meshes.load(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: no-provider, namespace: shop}
                spec: {action: CUSTOM, rules: [{}]}
                """);
        assertThat(decide(load, "shop/payments", get(CHECKOUT)).allowed()).isFalse();
    }

    @Test
    void a_policy_whose_selector_is_in_error_fails_closed_on_its_whole_namespace() {
        LoadResult load = Meshes.load(Meshes.PAYMENTS + OTHERS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: bad-selector, namespace: shop}
                spec:
                  selector: {matchLabels: {"app*": payments}}
                  action: DENY
                  rules: [{to: [{operation: {paths: ["/admin"]}}]}]
                """);
        assertThat(load.hasErrors()).isTrue();
        assertThat(decide(load, "shop/ledger", get(CHECKOUT)).allowed()).isFalse();
        assertThat(decide(load, "shop/payments", get(CHECKOUT)).allowed()).isFalse();
        assertThat(load.diagnostics())
                .anySatisfy(d -> assertThat(d.message()).contains("all workloads in namespace shop"));
    }

    @Test
    void a_document_with_unknown_fields_denies_its_whole_namespace_because_nothing_in_it_can_be_trusted() {
        LoadResult load = Meshes.load(Meshes.PAYMENTS + OTHERS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: typo, namespace: shop}
                spec:
                  selecter: {matchLabels: {app: payments}}
                  actoin: DENY
                  rules: [{}]
                """);
        assertThat(load.hasErrors()).isTrue();
        assertThat(decide(load, "shop/ledger", get(CHECKOUT)).allowed()).isFalse();
        assertThat(decide(load, "shop/payments", get(CHECKOUT)).allowed()).isFalse();
    }

    @Test
    void audit_and_dry_run_policies_change_no_decision_so_nothing_stands_in_for_them() {
        LoadResult load = Meshes.load(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: audit, namespace: shop}
                spec: {action: AUDIT, rules: [{to: [{operation: {methods: ["get"]}}]}]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: shadow, namespace: shop, annotations: {"istio.io/dry-run": "true"}}
                spec: {rules: [{to: [{operation: {methods: ["get"]}}]}]}
                """);
        assertThat(load.hasErrors()).isTrue();
        assertThat(load.failClosed()).isEmpty();
        assertThat(decide(load, "shop/payments", get(CHECKOUT)).allowed()).isTrue();
    }

    @Test
    void an_invalid_peer_authentication_is_strict_for_what_it_selects() {
        LoadResult load = Meshes.load(Meshes.PAYMENTS + OTHERS + """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: payments, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  mtls: {mode: PERMISSIVE}
                  portLevelMtls: {"70000": {mode: DISABLE}}
                """);
        assertThat(load.hasErrors()).isTrue();
        MeshPolicies mesh = MeshPolicies.of(Meshes.ROOT, load.failingClosed());
        assertThat(mesh.mtls(mesh.workload("shop/payments").orElseThrow(), 8080).mode())
                .isEqualTo(MtlsMode.STRICT);
        assertThat(mesh.mtls(mesh.workload("shop/ledger").orElseThrow(), 8080).mode())
                .isEqualTo(MtlsMode.PERMISSIVE);
    }

    @Test
    void a_policy_without_metadata_is_an_error_and_still_fails_closed_in_the_default_namespace() {
        LoadResult load =
                Meshes.load(Meshes.workload("default", "api", "api", "app: api", "{port: 8080, protocol: HTTP}") + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                spec: {action: DENY, rules: [{to: [{operation: {paths: ["/admin"]}}]}]}
                """);
        assertThat(load.diagnostics()).anySatisfy(d -> assertThat(d.field()).isEqualTo("metadata"));
        assertThat(decide(load, "default/api", get(CHECKOUT)).allowed())
                .as("its DENY stands in for every request")
                .isFalse();
    }

    @Test
    void a_workload_without_metadata_is_an_error_and_nothing_stands_in_for_it() {
        LoadResult load = Meshes.load("""
                apiVersion: security.signet.dev/v1
                kind: Workload
                spec: {serviceAccount: api, ports: [{port: 8080, protocol: HTTP}]}
                """);
        assertThat(load.hasErrors()).isTrue();
        assertThat(load.failClosed()).isEmpty();
    }
}
