package dev.signet.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.cli.CliContext;
import dev.signet.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandsTest {

    private static final String SAMPLES =
            Path.of(System.getProperty("signet.home"), "config", "samples").toString();
    private static final String CHECKOUT = "spiffe://cluster.local/ns/shop/sa/checkout";

    private final CliContext context = CliContext.system();

    @TempDir
    Path dir;

    @Test
    void check_passes_on_the_samples() {
        CliRun run = CliRun.run(context, "check", SAMPLES);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("OK: 6 resource(s), 3 workload(s) compiled");
    }

    @Test
    void check_fails_with_file_resource_and_field_path_and_reports_every_error() throws Exception {
        Files.writeString(dir.resolve("policies.yaml"), """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: ok, namespace: shop}
                spec: {rules: [{}]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: bad, namespace: shop}
                spec:
                  rules:
                  - to: [{operation: {paths: ["/a", "/b*c"]}}]
                """);
        Files.writeString(dir.resolve("more.yaml"), """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: pa, namespace: shop}
                spec: {mtls: {mode: strict}}
                """);
        CliRun run = CliRun.run(context, "check", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("policies.yaml:6 (document 2): error: AuthorizationPolicy shop/bad: "
                        + "spec.rules[0].to[0].operation.paths[1]: '*' is only allowed at the start or the end");
        assertThat(run.out()).contains("more.yaml:1 (document 1): error: PeerAuthentication shop/pa: spec.mtls.mode");
        assertThat(run.out()).contains("FAILED: 1 resource(s)").contains("2 error(s)");
    }

    @Test
    void check_json_is_for_pipelines() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: bad, namespace: shop}
                spec: {action: DENY}
                """);
        CliRun run = CliRun.run(context, "check", dir.toString(), "--output", "json");
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("errors").asInt()).isEqualTo(1);
        JsonNode diagnostic = json.get("diagnostics").get(0);
        assertThat(diagnostic.get("file").asText()).isEqualTo("p.yaml");
        assertThat(diagnostic.get("resource").asText()).isEqualTo("AuthorizationPolicy shop/bad");
        assertThat(diagnostic.get("field").asText()).isEqualTo("spec.rules");
    }

    @Test
    void check_warns_about_rules_a_tcp_port_ignores() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: db, namespace: shop, labels: {app: db}}
                spec: {serviceAccount: db, ports: [{port: 5432, protocol: TCP}]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: get-only, namespace: shop}
                spec: {rules: [{to: [{operation: {methods: [GET]}}]}]}
                """);
        CliRun run = CliRun.run(context, "check", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("warning: Workload shop/db: port 5432 (TCP): ALLOW policy shop/get-only rule 0 "
                        + "uses HTTP-only fields and is ignored here")
                .contains("1 warning(s)");
    }

    @Test
    void check_of_a_folder_without_resources_says_so() throws Exception {
        Files.writeString(
                dir.resolve("deployment.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n");
        CliRun run = CliRun.run(context, "check", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("note: no AuthorizationPolicy, PeerAuthentication or Workload found")
                .contains("1 other document(s) skipped");
    }

    @Test
    void check_of_a_missing_folder_says_so() {
        CliRun run = CliRun.run(context, "check", dir.resolve("nope").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no such file").contains("nope");
    }

    @Test
    void compile_prints_the_workload_resources_for_both_flavors() throws Exception {
        CliRun envoy = CliRun.run(context, "compile", SAMPLES, "--workload", "shop/payments");
        assertThat(envoy.exitCode()).as(envoy.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(envoy.out());
        assertThat(json.get("listeners").get(0).get("name").asText()).isEqualTo("inbound|8080");
        assertThat(envoy.out()).contains("ns[shop]-policy[payments-charge]-rule[0]");
        CliRun grpc = CliRun.run(context, "compile", SAMPLES, "--workload", "shop/payments", "--flavor", "grpc");
        assertThat(new ObjectMapper()
                        .readTree(grpc.out())
                        .get("listeners")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("grpc/server?xds.resource.listening_address=0.0.0.0:8080");
    }

    @Test
    void explain_prints_the_decision_first_and_the_rule_behind_it() throws Exception {
        CliRun allowed = CliRun.run(
                context,
                "explain",
                SAMPLES,
                "--workload",
                "shop/payments",
                "--port",
                "8080",
                "--from",
                CHECKOUT,
                "--method",
                "POST",
                "--path",
                "/charge");
        assertThat(allowed.out()).startsWith("ALLOW: allowed by ALLOW policy shop/payments-charge rule 0");
        assertThat(allowed.exitCode()).as("ALLOW exits 0").isZero();
        CliRun refund = CliRun.run(
                context,
                "explain",
                SAMPLES,
                "--workload",
                "shop/payments",
                "--port",
                "8080",
                "--from",
                CHECKOUT,
                "--method",
                "POST",
                "--path",
                "/refund");
        assertThat(refund.out()).startsWith("DENY: ALLOW policies apply to shop/payments but none matched");
        assertThat(refund.exitCode())
                .as("DENY exits 1, as kubectl auth can-i does")
                .isEqualTo(1);
        CliRun delete = CliRun.run(
                context,
                "explain",
                SAMPLES,
                "--workload",
                "shop/payments",
                "--port",
                "8080",
                "--from",
                CHECKOUT,
                "--method",
                "DELETE",
                "--path",
                "/charge",
                "--output",
                "json");
        JsonNode json = new ObjectMapper().readTree(delete.out());
        assertThat(json.get("decision").asText()).isEqualTo("DENY");
        assertThat(json.get("decidedBy").get("policy").asText()).isEqualTo("shop/no-delete");
        assertThat(json.get("decidedBy").get("rule").asInt()).isZero();
        assertThat(json.get("mtlsMode").asText()).isEqualTo("STRICT");
        CliRun plaintext = CliRun.run(
                context,
                "explain",
                SAMPLES,
                "--workload",
                "shop/payments",
                "--port",
                "8080",
                "--method",
                "POST",
                "--path",
                "/charge",
                "--header",
                "x-a=b");
        assertThat(plaintext.out()).startsWith("DENY: port 8080 requires mutual TLS");
    }

    @Test
    void explain_refuses_a_folder_with_invalid_resources_unless_told_to_ignore_them() throws Exception {
        Files.writeString(dir.resolve("w.yaml"), """
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: w, namespace: shop}
                spec: {serviceAccount: w, ports: [{port: 80, protocol: HTTP}]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: broken-deny, namespace: shop}
                spec: {action: DENY, rules: [{to: [{operation: {methods: [delete]}}]}]}
                """);
        CliRun refused = CliRun.run(
                context, "explain", dir.toString(), "--workload", "shop/w", "--port", "80", "--method", "DELETE");
        assertThat(refused.exitCode()).as("not a decision: an error").isEqualTo(3);
        assertThat(refused.err())
                .contains("spec.rules[0].to[0].operation.methods[0]")
                .contains("--ignore-errors");
        assertThat(refused.out()).isEmpty();
        // Told to go on, it decides as Signet enforces the broken DENY policy: denying everything it selects. Left
        // out, it would answer ALLOW, more permissive than the cluster.
        CliRun ignored = CliRun.run(
                context,
                "explain",
                dir.toString(),
                "--workload",
                "shop/w",
                "--port",
                "80",
                "--method",
                "DELETE",
                "--ignore-errors");
        assertThat(ignored.out()).startsWith("DENY").contains("broken-deny");
        assertThat(ignored.err())
                .contains("note: AuthorizationPolicy shop/broken-deny")
                .contains("enforced as a DENY policy that matches every request");
    }

    @Test
    void check_says_what_is_enforced_in_place_of_an_invalid_allow_policy() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: lowercase, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules: [{to: [{operation: {methods: ["get"]}}]}]
                """);
        CliRun check = CliRun.run(context, "check", dir.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out())
                .contains("error: AuthorizationPolicy shop/lowercase: spec.rules[0].to[0].operation.methods[0]")
                .contains("note: AuthorizationPolicy shop/lowercase: until it is fixed, this policy is enforced as an "
                        + "ALLOW policy that matches no request")
                .contains(
                        "FAILED: 0 resource(s), 0 workload(s) compiled, 0 other document(s) skipped; 1 error(s), 0 warning(s)");
    }
}
