package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code signet check --cluster}, the packaged CLI against a real API server: what is applied is judged as the offline
 * check judges a folder (same lines, same exit codes), plus what only the whole shows.
 */
@RealCluster
class ClusterCheckIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.bare();

    private static final String INVALID = """
            apiVersion: security.signet.dev/v1
            kind: AuthorizationPolicy
            metadata: {name: lower-case, namespace: shop}
            spec:
              selector: {matchLabels: {app: payments}}
              rules: [{to: [{operation: {methods: ["get"]}}]}]
            """;

    static Path dir;
    static KubeApiServer kube;
    static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        dir = cluster.dir();
        kube = cluster.kube();
        kubeconfig = kube.kubeconfig(dir.resolve("admin.kubeconfig"), kube.adminToken());
        kube.applyCrds();
        Path applied = dir.resolve("applied.yaml");
        Files.writeString(applied, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: bare}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: checkout, namespace: shop}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: payments, namespace: shop}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: lonely, namespace: bare}
                """);
        kube.kubectl("apply", "-f", applied.toString()).ok();
        Path pods = dir.resolve("pods.yaml");
        Files.writeString(pods, """
                apiVersion: v1
                kind: Pod
                metadata: {name: checkout, namespace: shop, labels: {app: checkout}}
                spec:
                  serviceAccountName: checkout
                  automountServiceAccountToken: false
                  containers: [{name: app, image: example/checkout, ports: [{name: grpc, containerPort: 8080}]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: payments, namespace: shop, labels: {app: payments}}
                spec:
                  serviceAccountName: payments
                  automountServiceAccountToken: false
                  containers: [{name: app, image: example/payments, ports: [{name: http, containerPort: 8080}]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: lonely, namespace: bare, labels: {app: lonely}}
                spec:
                  serviceAccountName: lonely
                  automountServiceAccountToken: false
                  containers: [{name: app, image: example/lonely}]
                """);
        kube.kubectl("apply", "-f", pods.toString()).ok();
        Path policies = dir.resolve("policies.yaml");
        Files.writeString(policies, """
                apiVersion: security.signet.dev/v1
                kind: PeerAuthentication
                metadata: {name: strict, namespace: shop}
                spec: {mtls: {mode: STRICT}}
                ---
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: payments, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules:
                  - from:
                    - source: {principals: ["cluster.local/ns/shop/sa/checkout", "cluster.local/ns/shop/sa/ghost"]}
                    - source: {serviceAccounts: ["shop/checkout", "bare/nobody"]}
                ---
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: orphan, namespace: shop}
                spec:
                  selector: {matchLabels: {app: inventory}}
                  rules: [{}]
                """);
        kube.kubectl("apply", "-f", policies.toString()).ok();
        // Created a second later, so that it is the newer of the two namespace-wide modes.
        Thread.sleep(1100);
        Path later = dir.resolve("later.yaml");
        Files.writeString(later, """
                apiVersion: security.signet.dev/v1
                kind: PeerAuthentication
                metadata: {name: plain, namespace: shop}
                spec: {mtls: {mode: DISABLE}}
                """);
        kube.kubectl("apply", "-f", later.toString()).ok();
    }

    @Test
    void what_is_applied_is_checked_with_the_offline_checks_lines_and_exit_codes_plus_the_whole_meshs_warnings()
            throws Exception {
        Path invalid = dir.resolve("invalid");
        Files.createDirectories(invalid);
        Files.writeString(invalid.resolve("lower-case.yaml"), INVALID);
        SignetProcess.Result offline = SignetProcess.run(dir, "check", invalid.toString());
        String offlineError = offline.out()
                .lines()
                .filter(line -> line.contains(": error: "))
                .findFirst()
                .orElseThrow();
        kube.kubectl("apply", "-f", invalid.resolve("lower-case.yaml").toString())
                .ok();

        SignetProcess.Result failed =
                SignetProcess.run(dir, "check", "--cluster", "--kubeconfig", kubeconfig.toString());
        assertThat(failed.exitCode())
                .as(failed.out() + failed.err())
                .isEqualTo(offline.exitCode())
                .isEqualTo(1);
        assertThat(failed.out())
                .as("the offline check's line, placed in the cluster")
                .contains("<cluster>" + offlineError.substring(offlineError.indexOf(": error: ")))
                .contains(
                        "<cluster>: warning: AuthorizationPolicy shop/orphan: spec.selector: selects no workload: no Pod"
                                + " in namespace shop has the labels app=inventory",
                        "AuthorizationPolicy shop/payments: spec.rules[0].from[0].source.principals[1]: names the"
                                + " service account shop/ghost, which does not exist",
                        "AuthorizationPolicy shop/payments: spec.rules[0].from[1].source.serviceAccounts[1]: names the"
                                + " service account bare/nobody, which does not exist",
                        "PeerAuthentication shop/plain: spec.mtls.mode: conflicts with PeerAuthentication shop/strict"
                                + " (DISABLE here, STRICT there) for namespace shop; only the oldest, shop/strict,"
                                + " applies",
                        "warning: Namespace bare: no PeerAuthentication covers 1 workload(s) (lonely): mutual TLS is"
                                + " PERMISSIVE")
                .containsPattern("FAILED: \\d+ resource\\(s\\), 3 workload\\(s\\) compiled")
                .doesNotContain("principals[0]", "serviceAccounts[0]", "Namespace shop: no PeerAuthentication");

        kube.kubectl("delete", "-f", invalid.resolve("lower-case.yaml").toString())
                .ok();
        SignetProcess.Result clean =
                SignetProcess.run(dir, "check", "--cluster", "--kubeconfig", kubeconfig.toString(), "-o", "json");
        assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("\"ok\" : true", "\"workloads\" : 3", "\"severity\" : \"warning\"");

        SignetProcess.Result graph =
                SignetProcess.run(dir, "graph", "--cluster", "--kubeconfig", kubeconfig.toString());
        assertThat(graph.exitCode()).as(graph.out() + graph.err()).isZero();
        assertThat(graph.out())
                .as("only checkout is let in to payments; the namespace's oldest mode is STRICT")
                .contains("shop/checkout -> shop/payments :8080 GET /", "3 workload(s)")
                .doesNotContain("shop/lonely -> shop/payments", "bare/lonely -> shop/payments");
    }

    @Test
    void an_unreachable_cluster_or_a_missing_crd_is_a_clear_error_not_a_stack_trace() throws Exception {
        Path dead = kube.kubeconfig(dir.resolve("dead.kubeconfig"), kube.adminToken());
        Files.writeString(dead, Files.readString(dead).replaceAll("https://[^\\s\"]+", "https://127.0.0.1:9"));
        SignetProcess.Result unreachable =
                SignetProcess.run(dir, "check", "--cluster", "--kubeconfig", dead.toString());
        assertThat(unreachable.exitCode()).isNotIn(0, 1);
        assertThat(unreachable.err())
                .contains("https://127.0.0.1:9")
                .doesNotContain("\tat ")
                .as("no logging noise from the libraries")
                .doesNotContain("SLF4J");

        for (List<String> usage : List.of(
                List.of("check"), List.of("check", "--cluster", "config"), List.of("check", ".", "--context", "x"))) {
            SignetProcess.Result refused = SignetProcess.run(dir, usage.toArray(String[]::new));
            assertThat(refused.exitCode()).as(usage.toString()).isEqualTo(2);
        }
    }
}
