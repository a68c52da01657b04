package dev.signet.policy.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole-mesh findings, each once, and none where the mesh is as meant. */
class MeshAnalysisTest {

    private static final String WORKLOADS = """
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: checkout, namespace: shop, labels: {app: checkout}}
            spec: {serviceAccount: checkout, ports: [{port: 8080, protocol: GRPC}]}
            ---
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: payments, namespace: shop, labels: {app: payments}}
            spec: {serviceAccount: payments, ports: [{port: 8080, protocol: HTTP}]}
            ---
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: a, namespace: bare, labels: {app: a}}
            spec: {serviceAccount: a}
            """;

    private static List<String> findings(String policies, Set<String> accounts) {
        LoadResult load = new ResourceLoader(new PolicyValidator("signet-system"))
                .loadText("mesh.yaml", WORKLOADS + "---\n" + policies);
        assertThat(load.hasErrors()).as(load.diagnostics().toString()).isFalse();
        MeshPolicies mesh = MeshPolicies.of("signet-system", load.failingClosed());
        return new MeshAnalysis(mesh, Optional.of(accounts))
                .analyse(load.resources()).stream()
                        .peek(d -> assertThat(d.severity()).isEqualTo(Diagnostic.Severity.WARNING))
                        .map(d -> d.resource() + ": " + (d.field() == null ? "" : d.field() + ": ") + d.message())
                        .toList();
    }

    @Test
    void a_mesh_as_meant_has_no_findings() {
        assertThat(findings("""
                apiVersion: security.signet.dev/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: signet-system}
                spec: {mtls: {mode: STRICT}}
                ---
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: payments, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules:
                  - from:
                    - source: {principals: ["cluster.local/ns/shop/sa/checkout", "cluster.local/ns/*", "*"]}
                    - source: {serviceAccounts: ["shop/checkout"]}
                    when: [{key: source.principal, values: ["cluster.local/ns/shop/sa/checkout"]}]
                """, Set.of("shop/checkout", "shop/payments", "bare/a")))
                .isEmpty();
    }

    @Test
    void each_finding_names_its_field_and_what_to_do() {
        assertThat(findings("""
                apiVersion: security.signet.dev/v1
                kind: PeerAuthentication
                metadata: {name: strict, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec: {mtls: {mode: STRICT}}
                ---
                apiVersion: security.signet.dev/v1
                kind: PeerAuthentication
                metadata: {name: plain, namespace: shop, creationTimestamp: "2026-02-01T00:00:00Z"}
                spec: {mtls: {mode: DISABLE}}
                ---
                apiVersion: security.signet.dev/v1
                kind: PeerAuthentication
                metadata: {name: payments, namespace: shop}
                spec: {selector: {matchLabels: {app: nothing}}, mtls: {mode: STRICT}}
                ---
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: callers, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules:
                  - from: [{source: {notPrincipals: ["td/ns/shop/sa/ghost"]}}]
                    when: [{key: source.principal, notValues: ["td/ns/gone/sa/x"]}]
                """, Set.of("shop/checkout", "shop/payments", "bare/a")))
                .containsExactlyInAnyOrder(
                        "PeerAuthentication shop/payments: spec.selector: selects no workload: no Pod in namespace shop"
                                + " has the labels app=nothing",
                        "AuthorizationPolicy shop/callers: spec.rules[0].from[0].source.notPrincipals[0]: names the"
                                + " service account shop/ghost, which does not exist (a typo, or not created yet)",
                        "AuthorizationPolicy shop/callers: spec.rules[0].when[0].notValues[0]: names the service"
                                + " account gone/x, which does not exist (a typo, or not created yet)",
                        "Namespace bare: no PeerAuthentication covers 1 workload(s) (a): mutual TLS is PERMISSIVE,"
                                + " plain text accepted; apply one with mode STRICT here or in the root namespace"
                                + " (signet-system)",
                        "PeerAuthentication shop/plain: spec.mtls.mode: conflicts with PeerAuthentication shop/strict"
                                + " (DISABLE here, STRICT there) for namespace shop; only the oldest, shop/strict,"
                                + " applies");
    }
}
