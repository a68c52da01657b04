package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.testing.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/signet serve} as the Kubernetes operator on a real API server, running as the chart's service account
 * with the chart's RBAC (not as admin), driven by the real kubectl.
 */
@RealCluster
class OperatorIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.withChart();

    static Path dir;
    static KubeApiServer kube;
    static OperatorProcess operator;
    static int grpcPort;
    static LiveHealth health;

    @BeforeAll
    static void start() throws Exception {
        dir = cluster.dir();
        kube = cluster.kube();
        kube.kubectl("create", "namespace", "shop").ok();
        operator = cluster.closeAfter(
                OperatorProcess.start(dir, cluster.kubeconfig(), "operator-e2e", "--istio-root-cert-config-map"));
        grpcPort = operator.grpcPort();
        health = LiveHealth.build(kube);
    }

    /** What kstatus makes of an AuthorizationPolicy of shop; what the shipped Argo CD and Flux checks make of it. */
    private static String kstatus(String name) throws Exception {
        return health.kstatus("authorizationpolicies.security.signet.dev", name, "-n", "shop");
    }

    private static String gitops(String name) throws Exception {
        return health.gitops("authorizationpolicies.security.signet.dev", name, "-n", "shop");
    }

    private static String condition(String kind, String name, String type, String field) throws Exception {
        return kube.kubectl(
                        "get",
                        kind,
                        name,
                        "-n",
                        "shop",
                        "-o",
                        "jsonpath={.status.conditions[?(@.type==\"" + type + "\")]." + field + "}")
                .ok()
                .out();
    }

    @Test
    void the_operator_holds_the_lease_and_created_its_ca_secret_without_logging_keys() throws Exception {
        String holder = kube.eventually(
                out -> !out.isBlank(),
                "get",
                "lease",
                "signet-leader",
                "-n",
                "signet-system",
                "-o",
                "jsonpath={.spec.holderIdentity}");
        assertThat(holder).isNotBlank();
        String keys = kube.kubectl("get", "secret", "signet-ca", "-n", "signet-system", "-o", "jsonpath={.data}")
                .ok()
                .out();
        assertThat(keys).contains("ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem");
        assertThat(operator.log()).doesNotContain("PRIVATE KEY").contains("running as the Kubernetes operator");
        // Least privilege: the chart's account cannot read other Secrets.
        assertThat(kube.kubectl(
                                "auth",
                                "can-i",
                                "list",
                                "secrets",
                                "-A",
                                "--as",
                                "system:serviceaccount:signet-system:signet")
                        .out()
                        .trim())
                .isEqualTo("no");
    }

    @Test
    void the_samples_become_ready_for_their_generation() throws Exception {
        kube.kubectl(
                        "apply",
                        "-f",
                        SignetProcess.home().resolve("config/samples").toString())
                .ok();
        kube.eventually(
                "True"::equals,
                "get",
                "authorizationpolicy",
                "payments-charge",
                "-n",
                "shop",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        assertThat(kube.kubectl(
                                "get",
                                "authorizationpolicy",
                                "payments-charge",
                                "-n",
                                "shop",
                                "-o",
                                "jsonpath={.status.observedGeneration}/{.metadata.generation}")
                        .ok()
                        .out())
                .isEqualTo("1/1");
        assertThat(condition("authorizationpolicy", "payments-charge", "Accepted", "status"))
                .isEqualTo("True");
        assertThat(kstatus("payments-charge")).startsWith("AuthorizationPolicy/payments-charge Current");
        assertThat(gitops("payments-charge"))
                .startsWith("AuthorizationPolicy/payments-charge argocd=Healthy flux=Current");
        kube.eventually(
                "True"::equals,
                "get",
                "peerauthentication",
                "default",
                "-n",
                "signet-system",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    }

    @Test
    void an_invalid_policy_is_not_ready_names_the_field_and_keeps_the_last_good_generation() throws Exception {
        Path policy = dir.resolve("refunds.yaml");
        String template = """
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: refunds, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules:
                  - to:
                    - operation: {methods: ["POST"], paths: ["%s"]}
                """;
        Files.writeString(policy, template.formatted("charge"));
        kube.kubectl("apply", "-f", policy.toString()).ok();
        kube.eventually(
                "False"::equals,
                "get",
                "authorizationpolicy",
                "refunds",
                "-n",
                "shop",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Accepted\")].status}");
        assertThat(condition("authorizationpolicy", "refunds", "Accepted", "message"))
                .contains("spec.rules[0].to[0].operation.paths[0]");
        // Never valid: it fails closed rather than being left out (payments would allow every caller without it).
        assertThat(condition("authorizationpolicy", "refunds", "Ready", "reason"))
                .isEqualTo("FailedClosed");
        assertThat(condition("authorizationpolicy", "refunds", "Ready", "message"))
                .contains("enforced as an ALLOW policy that matches no request");
        assertThat(SignetProcess.http(operator.httpPort(), "/q/metrics"))
                .as("what an alert on invalid policies reads")
                .contains("signet_policies{source=\"cluster\",state=\"invalid\"} 1.0", "signet_leader 1.0")
                .as("JOSDK's reconciliations, counted per controller")
                .containsPattern("signet_reconciles_total\\{controller=\"authorizationpolicy\\w*\",?} [1-9][0-9]*\\.0")
                .containsPattern(
                        "signet_reconcile_failures_total\\{controller=\"authorizationpolicy\\w*\",?} [0-9]+\\.0");
        assertThat(kstatus("refunds"))
                .as("kstatus fails a pipeline at once, with the field")
                .startsWith("AuthorizationPolicy/refunds Failed")
                .contains("spec.rules[0].to[0].operation.paths[0]");
        assertThat(gitops("refunds"))
                .startsWith("AuthorizationPolicy/refunds argocd=Degraded flux=Failed")
                .contains("spec.rules[0].to[0].operation.paths[0]");
        kube.eventually(
                out -> out.contains("InvalidSpec") && out.contains("spec.rules[0].to[0].operation.paths[0]"),
                "get",
                "events",
                "-n",
                "shop",
                "--field-selector",
                "involvedObject.name=refunds");

        Files.writeString(policy, template.formatted("/refund"));
        kube.kubectl("apply", "-f", policy.toString()).ok();
        kube.eventually(
                "True"::equals,
                "get",
                "authorizationpolicy",
                "refunds",
                "-n",
                "shop",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        assertThat(kstatus("refunds")).startsWith("AuthorizationPolicy/refunds Current");
        assertThat(gitops("refunds")).startsWith("AuthorizationPolicy/refunds argocd=Healthy flux=Current");

        Files.writeString(policy, template.formatted("refund"));
        kube.kubectl("apply", "-f", policy.toString()).ok();
        kube.eventually(
                "LastGoodInForce"::equals,
                "get",
                "authorizationpolicy",
                "refunds",
                "-n",
                "shop",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}");
        assertThat(condition("authorizationpolicy", "refunds", "Ready", "message"))
                .contains("Generation 3 is invalid; generation 2 stays in force");
        assertThat(kstatus("refunds")).startsWith("AuthorizationPolicy/refunds Failed");
        assertThat(gitops("refunds")).startsWith("AuthorizationPolicy/refunds argocd=Degraded flux=Failed");
    }

    @Test
    void every_namespace_gets_the_bundle_and_it_comes_back_when_deleted_or_edited() throws Exception {
        String root = kube.kubectl(
                        "get", "secret", "signet-ca", "-n", "signet-system", "-o", "jsonpath={.data.root-cert\\.pem}")
                .ok()
                .out();
        String rootPem =
                new String(java.util.Base64.getDecoder().decode(root), java.nio.charset.StandardCharsets.US_ASCII);
        kube.kubectl("create", "namespace", "late").ok();
        String[] get = {"get", "configmap", "signet-root-cert", "-n", "late", "-o", "jsonpath={.data.root-cert\\.pem}"};
        assertThat(kube.eventually(out -> out.contains("BEGIN CERTIFICATE"), get)
                        .trim())
                .isEqualTo(rootPem.trim());

        kube.kubectl("delete", "configmap", "signet-root-cert", "-n", "late").ok();
        kube.eventually(out -> out.contains("BEGIN CERTIFICATE"), get);

        kube.kubectl(
                        "patch",
                        "configmap",
                        "signet-root-cert",
                        "-n",
                        "late",
                        "--type",
                        "merge",
                        "-p",
                        "{\"data\":{\"root-cert.pem\":\"forged\"}}")
                .ok();
        assertThat(kube.eventually(out -> out.contains("BEGIN CERTIFICATE"), get)
                        .trim())
                .isEqualTo(rootPem.trim());
    }

    @Test
    void istios_agent_gets_its_identity_through_token_review_and_istios_root_configmap() throws Exception {
        kube.kubectl("create", "serviceaccount", "reviews", "-n", "shop").ok();
        String signetRoot = kube.eventually(
                out -> out.contains("BEGIN CERTIFICATE"),
                "get",
                "configmap",
                "signet-root-cert",
                "-n",
                "shop",
                "-o",
                "jsonpath={.data.root-cert\\.pem}");
        // Where Istio's injector mounts the CA root from: the same bundle under Istio's name.
        String istioRoot = kube.eventually(
                out -> out.contains("BEGIN CERTIFICATE"),
                "get",
                "configmap",
                "istio-ca-root-cert",
                "-n",
                "shop",
                "-o",
                "jsonpath={.data.root-cert\\.pem}");
        assertThat(istioRoot.strip()).isEqualTo(signetRoot.strip());
        Path caRoot = Files.writeString(dir.resolve("istio-ca-root.pem"), istioRoot);
        String token = kube.kubectl("create", "token", "reviews", "-n", "shop", "--audience", "istio-ca")
                .ok()
                .out();
        Path home = dir.resolve("pilot-agent-reviews");
        Process agent = PilotAgent.start(
                PilotAgent.build(), home, "shop", "reviews", token, caRoot, grpcPort, java.time.Duration.ofHours(1));
        try {
            Path chain = home.resolve("out/cert-chain.pem");
            assertThat(Openssl.ok(dir, "x509", "-in", chain.toString(), "-noout", "-ext", "subjectAltName"))
                    .contains("URI:spiffe://cluster.local/ns/shop/sa/reviews");
            assertThat(Openssl.ok(
                            dir,
                            "verify",
                            "-CAfile",
                            caRoot.toString(),
                            "-untrusted",
                            chain.toString(),
                            chain.toString()))
                    .contains("OK");
        } finally {
            agent.destroy();
            agent.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void a_terminating_namespace_is_left_alone() throws Exception {
        kube.kubectl("create", "namespace", "doomed").ok();
        String[] get = {"get", "configmap", "signet-root-cert", "-n", "doomed", "-o", "name"};
        kube.eventually(out -> !out.isBlank(), get);
        // No namespace controller runs here, so the namespace stays Terminating for as long as the test looks.
        kube.kubectl("delete", "namespace", "doomed", "--wait=false").ok();
        kube.eventually("Terminating"::equals, "get", "namespace", "doomed", "-o", "jsonpath={.status.phase}");
        kube.kubectl("delete", "configmap", "signet-root-cert", "-n", "doomed").ok();
        // A namespace created afterwards is served, so the deletion above has been seen by then.
        kube.kubectl("create", "namespace", "after-doomed").ok();
        kube.eventually(
                out -> !out.isBlank(), "get", "configmap", "signet-root-cert", "-n", "after-doomed", "-o", "name");
        Thread.sleep(1000);
        assertThat(kube.kubectl(get).out()).contains("NotFound");
        assertThat(operator.log()).doesNotContain("forbidden: unable to create new content in namespace doomed");
    }

    @Test
    void a_token_for_signet_ca_gets_exactly_its_identity_and_other_expired_or_user_tokens_get_nothing()
            throws Exception {
        kube.kubectl("create", "serviceaccount", "checkout", "-n", "shop").ok();
        Path root = dir.resolve("root-cert.pem");
        Files.writeString(
                root,
                kube.eventually(
                        out -> out.contains("BEGIN CERTIFICATE"),
                        "get",
                        "configmap",
                        "signet-root-cert",
                        "-n",
                        "shop",
                        "-o",
                        "jsonpath={.data.root-cert\\.pem}"));
        Path good = dir.resolve("good.token");
        Files.writeString(
                good,
                kube.kubectl("create", "token", "checkout", "-n", "shop", "--audience", "signet-ca")
                        .ok()
                        .out()
                        .trim());
        Path certs = dir.resolve("certs");
        SignetProcess.Result issued = SignetProcess.run(
                dir,
                "agent",
                "--once",
                "--ca-address",
                "127.0.0.1:" + grpcPort,
                "--ca-root",
                root.toString(),
                "--token-file",
                good.toString(),
                "--out",
                certs.toString());
        assertThat(issued.exitCode()).as(issued.out() + issued.err()).isZero();
        String text = Openssl.ok(
                dir, "x509", "-in", certs.resolve("cert-chain.pem").toString(), "-noout", "-ext", "subjectAltName");
        assertThat(text).contains("URI:spiffe://cluster.local/ns/shop/sa/checkout");
        assertThat(Openssl.ok(
                        dir,
                        "verify",
                        "-CAfile",
                        root.toString(),
                        "-untrusted",
                        certs.resolve("cert-chain.pem").toString(),
                        certs.resolve("cert-chain.pem").toString()))
                .contains("OK");

        // Signed with the cluster's own key: accepted while valid, refused once expired.
        String uid = kube.kubectl("get", "serviceaccount", "checkout", "-n", "shop", "-o", "jsonpath={.metadata.uid}")
                .ok()
                .out();
        Path fresh = dir.resolve("fresh.token");
        Files.writeString(
                fresh,
                kube.signServiceAccountToken(
                        "shop",
                        "checkout",
                        uid,
                        "signet-ca",
                        java.time.Instant.now().plusSeconds(600)));
        SignetProcess.Result freshIssued = SignetProcess.run(
                dir,
                "agent",
                "--once",
                "--ca-address",
                "127.0.0.1:" + grpcPort,
                "--ca-root",
                root.toString(),
                "--token-file",
                fresh.toString(),
                "--out",
                dir.resolve("fresh").toString());
        assertThat(freshIssued.exitCode())
                .as(freshIssued.out() + freshIssued.err())
                .isZero();
        Path expired = dir.resolve("expired.token");
        Files.writeString(
                expired,
                kube.signServiceAccountToken(
                        "shop",
                        "checkout",
                        uid,
                        "signet-ca",
                        java.time.Instant.now().minusSeconds(120)));

        Path vault = dir.resolve("vault.token");
        Files.writeString(
                vault,
                kube.kubectl("create", "token", "checkout", "-n", "shop", "--audience", "vault")
                        .ok()
                        .out()
                        .trim());
        Path admin = dir.resolve("admin.token");
        Files.writeString(admin, kube.adminToken());
        for (Path token : new Path[] {vault, admin, expired}) {
            SignetProcess.Result refused = SignetProcess.run(
                    dir,
                    "agent",
                    "--once",
                    "--ca-address",
                    "127.0.0.1:" + grpcPort,
                    "--ca-root",
                    root.toString(),
                    "--token-file",
                    token.toString(),
                    "--out",
                    dir.resolve("no").toString());
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isNotZero();
            assertThat(refused.out() + refused.err()).containsIgnoringCase("unauthenticated");
        }
    }
}
