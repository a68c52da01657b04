package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checked-in CRDs on a real API server, driven by the real kubectl as a cluster admin would. */
@RealCluster
class CrdIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.bare();

    static Path dir;
    static KubeApiServer kube;

    @BeforeAll
    static void start() throws Exception {
        dir = cluster.dir();
        kube = cluster.kube();
        kube.applyCrds();
        kube.kubectl("create", "namespace", "shop").ok();
        kube.kubectl("create", "namespace", "signet-system").ok();
    }

    @Test
    void the_samples_apply_and_list_with_their_columns() throws Exception {
        kube.kubectl(
                        "apply",
                        "-f",
                        SignetProcess.home().resolve("config/samples").toString())
                .ok();
        KubeApiServer.Kubectl.Result policies =
                kube.kubectl("get", "authorizationpolicies", "-n", "shop").ok();
        assertThat(policies.out().lines().findFirst().orElseThrow())
                .as("Istio's column order")
                .matches("NAME\\s+ACTION\\s+READY\\s+AGE\\s*");
        assertThat(policies.out()).containsPattern("payments-charge\\s+ALLOW").containsPattern("no-delete\\s+DENY");
        KubeApiServer.Kubectl.Result modes =
                kube.kubectl("get", "spa", "-n", "signet-system").ok();
        assertThat(modes.out()).containsPattern("NAME\\s+MODE\\s+READY\\s+AGE").containsPattern("default\\s+STRICT");
    }

    @Test
    void kubectl_explain_shows_the_field_docs() throws Exception {
        KubeApiServer.Kubectl.Result explain = kube.kubectl(
                        "explain",
                        "authorizationpolicies.spec.rules.from.source.principals",
                        "--api-version=security.signet.dev/v1")
                .ok();
        assertThat(explain.out()).contains("Peer identities from mutual TLS");
        assertThat(kube.kubectl("explain", "peerauthentications.spec.mtls.mode")
                        .ok()
                        .out())
                .contains("STRICT (mutual TLS only)");
    }

    @Test
    void an_istio_policy_applies_after_changing_only_its_api_version() throws Exception {
        Path file = dir.resolve("istio.yaml");
        Files.writeString(file, """
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: httpbin, namespace: shop}
                spec:
                  selector: {matchLabels: {app: httpbin, version: v1}}
                  action: ALLOW
                  rules:
                  - from:
                    - source: {principals: ["cluster.local/ns/default/sa/sleep"], notNamespaces: ["dev"]}
                    - source: {ipBlocks: ["10.1.0.0/16"], remoteIpBlocks: ["203.0.113.4"]}
                    to:
                    - operation: {methods: ["GET"], paths: ["/info*"], ports: ["8080"], hosts: ["*.example.com"]}
                    when:
                    - key: request.auth.claims[iss]
                      values: ["https://accounts.google.com"]
                      notValues: ["https://evil.example"]
                """);
        kube.kubectl("apply", "-f", file.toString()).ok();
        assertThat(kube.kubectl(
                                "get",
                                "authorizationpolicy",
                                "httpbin",
                                "-n",
                                "shop",
                                "-o",
                                "jsonpath={.spec.rules[0].when[0].notValues[0]}")
                        .ok()
                        .out())
                .isEqualTo("https://evil.example");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            selector and targetRefs    | AuthorizationPolicy | {selector: {matchLabels: {app: a}}, targetRefs: [{kind: Service, name: a}]} | only one of targetRefs or selector can be set
            an unknown action          | AuthorizationPolicy | {action: MAYBE}                                                            | Unsupported value: "MAYBE"
            a misspelt field           | AuthorizationPolicy | {rule: [{}]}                                                               | unknown field "spec.rule"
            a condition without key    | AuthorizationPolicy | {rules: [{when: [{values: [a]}]}]}                                         | spec.rules[0].when[0].key: Required value
            a wildcard label key       | AuthorizationPolicy | {selector: {matchLabels: {"app*": a}}}                                     | wildcard not allowed in label key match
            a Deployment target        | AuthorizationPolicy | {targetRefs: [{kind: Deployment, name: a}]}                                | Support kinds are core/Service
            a cross-namespace target   | AuthorizationPolicy | {targetRefs: [{kind: Service, name: a, namespace: other}]}                 | cross namespace referencing is not currently supported
            a lower-case mTLS mode     | PeerAuthentication  | {mtls: {mode: strict}}                                                     | Unsupported value: "strict"
            port levels, no selector   | PeerAuthentication  | {portLevelMtls: {"8080": {mode: DISABLE}}}                                 | portLevelMtls requires selector
            port 0                     | PeerAuthentication  | {selector: {matchLabels: {app: a}}, portLevelMtls: {"0": {mode: DISABLE}}} | port must be between 1-65535
            a port that is no number   | PeerAuthentication  | {selector: {matchLabels: {app: a}}, portLevelMtls: {"http": {mode: DISABLE}}} | port must be between 1-65535
            """)
    void the_api_server_refuses_invalid_policies_naming_the_rule(String name, String kind, String spec, String message)
            throws Exception {
        Path file = dir.resolve("invalid-" + name.replaceAll("[^a-z0-9]+", "-") + ".yaml");
        Files.writeString(
                file,
                "apiVersion: security.signet.dev/v1\nkind: " + kind
                        + "\nmetadata: {name: invalid, namespace: shop}\nspec: " + spec + "\n");
        KubeApiServer.Kubectl.Result result = kube.kubectl("apply", "-f", file.toString());
        assertThat(result.exitCode()).as(result.out()).isNotZero();
        assertThat(result.out()).contains(message);
        assertThat(kube.kubectl("get", kind.toLowerCase(), "invalid", "-n", "shop")
                        .exitCode())
                .isNotZero();
    }
}
