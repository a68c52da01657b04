package dev.signet.policy.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.eval.Evaluator;
import dev.signet.policy.eval.Request;
import dev.signet.policy.model.MtlsMode;
import dev.signet.policy.testing.Meshes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerAuthenticationResolverTest {

    static String pa(String namespace, String name, String created, String body) {
        return """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: %s, namespace: %s%s}
                spec:
                %s
                ---
                """.formatted(
                        name,
                        namespace,
                        created == null ? "" : ", creationTimestamp: \"" + created + "\"",
                        body.indent(2).stripTrailing());
    }

    static MtlsMode mode(String yaml, int port) {
        MeshPolicies mesh = Meshes.mesh(Meshes.PAYMENTS + yaml);
        return mesh.mtls(Meshes.payments(mesh), port).mode();
    }

    @Test
    void permissive_by_default() {
        assertThat(mode("", 8080)).isEqualTo(MtlsMode.PERMISSIVE);
    }

    @ParameterizedTest(name = "mesh {0}, namespace {1}, workload {2}, port {3} -> {4}")
    @CsvSource({
        "STRICT,,,,STRICT",
        "STRICT,UNSET,,,STRICT",
        "STRICT,PERMISSIVE,,,PERMISSIVE",
        "DISABLE,STRICT,,,STRICT",
        "STRICT,DISABLE,UNSET,,DISABLE",
        "STRICT,PERMISSIVE,STRICT,,STRICT",
        "PERMISSIVE,STRICT,DISABLE,,DISABLE",
        "PERMISSIVE,STRICT,UNSET,DISABLE,DISABLE",
        "PERMISSIVE,STRICT,DISABLE,UNSET,DISABLE",
        "DISABLE,,,STRICT,STRICT",
        "UNSET,UNSET,UNSET,UNSET,PERMISSIVE",
    })
    void each_level_overrides_the_one_above_and_unset_inherits(
            String mesh, String namespace, String workload, String port, MtlsMode expected) {
        StringBuilder yaml = new StringBuilder();
        if (mesh != null) {
            yaml.append(pa("signet-system", "mesh", null, "mtls: {mode: " + mesh + "}"));
        }
        if (namespace != null) {
            yaml.append(pa("shop", "ns", null, "mtls: {mode: " + namespace + "}"));
        }
        if (workload != null || port != null) {
            yaml.append(pa(
                    "shop",
                    "wl",
                    null,
                    "selector: {matchLabels: {app: payments}}\n"
                            + (workload == null ? "" : "mtls: {mode: " + workload + "}\n")
                            + (port == null ? "" : "portLevelMtls: {\"8080\": {mode: " + port + "}}")));
        }
        assertThat(mode(yaml.toString(), 8080)).isEqualTo(expected);
    }

    @Test
    void port_level_settings_apply_to_their_port_only() {
        String yaml = pa("shop", "wl", null, """
                selector: {matchLabels: {app: payments}}
                mtls: {mode: STRICT}
                portLevelMtls: {"9000": {mode: DISABLE}}""");
        assertThat(mode(yaml, 8080)).isEqualTo(MtlsMode.STRICT);
        assertThat(mode(yaml, 9000)).isEqualTo(MtlsMode.DISABLE);
    }

    @Test
    void at_one_level_the_oldest_wins_by_creation_time_whatever_the_file_order() {
        String yaml = pa("shop", "newer", "2026-02-01T00:00:00Z", "mtls: {mode: DISABLE}")
                + pa("shop", "older", "2026-01-01T00:00:00Z", "mtls: {mode: STRICT}");
        assertThat(mode(yaml, 8080)).isEqualTo(MtlsMode.STRICT);
        String selectors = pa(
                        "shop",
                        "b-newer",
                        "2026-02-01T00:00:00Z",
                        "selector: {matchLabels: {app: payments}}\nmtls: {mode: DISABLE}")
                + pa(
                        "shop",
                        "a-older",
                        "2026-01-01T00:00:00Z",
                        "selector: {matchLabels: {app: payments}}\nmtls: {mode: STRICT}");
        assertThat(mode(selectors, 8080)).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void without_timestamps_the_first_written_is_the_oldest() {
        String yaml =
                pa("shop", "first", null, "mtls: {mode: STRICT}") + pa("shop", "second", null, "mtls: {mode: DISABLE}");
        assertThat(mode(yaml, 8080)).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void a_selector_policy_in_the_root_namespace_is_ignored() {
        String yaml = pa(
                "signet-system",
                "root-selector",
                null,
                "selector: {matchLabels: {app: payments}}\nmtls: {mode: STRICT}");
        assertThat(mode(yaml, 8080)).isEqualTo(MtlsMode.PERMISSIVE);
    }

    @Test
    void the_decision_names_the_policy_that_set_the_mode() {
        MeshPolicies mesh = Meshes.mesh(Meshes.PAYMENTS + pa("shop", "strict", null, "mtls: {mode: STRICT}"));
        assertThat(mesh.mtls(Meshes.payments(mesh), 8080).decidedBy())
                .contains("shop/strict")
                .contains("namespace");
    }

    @Test
    void strict_refuses_plaintext_and_disable_hides_the_peer_identity() {
        MeshPolicies strict = Meshes.mesh(Meshes.PAYMENTS + pa("shop", "strict", null, "mtls: {mode: STRICT}"));
        var plaintext = new Evaluator(strict)
                .evaluate(
                        Meshes.payments(strict),
                        Request.builder(8080).plaintext().build());
        assertThat(plaintext.allowed()).isFalse();
        assertThat(plaintext.reason()).contains("requires mutual TLS");

        String allowCheckout = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: only-checkout, namespace: shop}
                spec:
                  rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"]}}]}]
                ---
                """;
        MeshPolicies disabled =
                Meshes.mesh(Meshes.PAYMENTS + allowCheckout + pa("shop", "off", null, "mtls: {mode: DISABLE}"));
        var decision = new Evaluator(disabled)
                .evaluate(
                        Meshes.payments(disabled),
                        Request.builder(8080)
                                .from("cluster.local/ns/shop/sa/checkout")
                                .build());
        assertThat(decision.allowed())
                .as("with mTLS disabled the proxy sees no principal")
                .isFalse();
    }
}
