package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.store.Directories;
import dev.signet.cli.demo.DemoCommand;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Signet in a cluster as a user runs it, on a real node ({@link RealNode}): the chart installed with helm from the
 * image the build made, workloads as Deployments of that image in a namespace labelled for injection (the webhook adds
 * the agent; the kubelet projects its token), real gRPC xDS calls between Pods, and the operations a cluster admin
 * performs under that traffic: a policy change, a rolling restart of the control plane, a root rotation, a Pod
 * replaced. The figures (assembly, install, shutdown) go to {@code target/real-node-summary.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(RealNodeIT.StopAfterAFailure.class)
class RealNodeIT {

    /** The steps build on each other: after one fails, the others are skipped rather than wait out their timeouts. */
    static final class StopAfterAFailure implements TestExecutionExceptionHandler, ExecutionCondition {
        private static volatile String failed;

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
            failed = context.getDisplayName();
            throw throwable;
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return failed == null
                    ? ConditionEvaluationResult.enabled("no earlier step failed")
                    : ConditionEvaluationResult.disabled("an earlier step failed: " + failed);
        }
    }

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, String> SUMMARY = new LinkedHashMap<>();

    static Path dir;
    static KubeApiServer kube;
    static RealNode node;
    static Path admin;

    @BeforeAll
    static void assemble() throws Exception {
        Assumptions.assumeTrue(
                KubeApiServer.flavour().equals("local"), "the real node runs beside the local API server");
        RealNode.unavailable().ifPresent(reason -> Assumptions.abort("no real node here: " + reason));
        dir = Files.createTempDirectory("signet-node-");
        long started = System.nanoTime();
        RealNode.prepareNetwork();
        kube = KubeApiServer.start(dir, RealNode.apiServerArgs());
        node = RealNode.start(kube, dir);
        SUMMARY.put("node assembled (API server to node Ready)", seconds(started));
        admin = kube.kubeconfig(dir.resolve("admin.kubeconfig"), kube.adminToken());
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (dir != null) {
                Files.createDirectories(Path.of("target"));
                StringBuilder text = new StringBuilder();
                SUMMARY.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
                Files.writeString(Path.of("target/real-node-summary.txt"), text);
                for (String log : List.of("kubelet.log", "containerd.log", "apiserver.log")) {
                    if (Files.exists(dir.resolve(log))) {
                        Files.copy(
                                dir.resolve(log),
                                Path.of("target/real-node-" + log),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                if (kube != null) {
                    Files.writeString(
                            Path.of("target/real-node-state.txt"),
                            kube.kubectl("get", "nodes,pods,events", "-A", "-o", "wide")
                                            .out()
                                    + kube.kubectl("describe", "pods", "-A").out());
                    Files.writeString(
                            Path.of("target/real-node-signet.log"),
                            kube.kubectl(
                                                    "logs",
                                                    "-n",
                                                    "signet-system",
                                                    "-l",
                                                    "app.kubernetes.io/name=signet",
                                                    "--prefix",
                                                    "--tail=400")
                                            .out()
                                    + kube.kubectl("get", "rootrotations", "-o", "yaml")
                                            .out());
                }
            }
        } finally {
            if (node != null) {
                node.close();
            } else if (dir != null) {
                RealNode.undoNetwork();
            }
            if (kube != null) {
                kube.close();
            }
            if (dir != null) {
                Directories.delete(dir);
            }
        }
    }

    @Test
    @Order(1)
    void helm_installs_the_chart_with_the_built_image_and_both_replicas_become_ready() throws Exception {
        long started = System.nanoTime();
        kube.helm(
                        admin,
                        "install",
                        "signet",
                        SignetProcess.home().resolve("charts/signet").toString(),
                        "--namespace",
                        "signet-system",
                        "--create-namespace",
                        "--set",
                        "image.pullPolicy=Never",
                        // The rotation below waits out the JWT-SVID a pod fetched before it: 30 s, not the default 5m.
                        "--set",
                        "certificates.jwtSvidTtl=30s")
                .ok();
        kube.kubectl("rollout", "status", "deployment/signet", "-n", "signet-system", "--timeout=240s")
                .ok();
        SUMMARY.put("helm install to both replicas Ready", seconds(started));
        assertThat(kube.kubectl(
                                "get",
                                "deployment",
                                "signet",
                                "-n",
                                "signet-system",
                                "-o",
                                "jsonpath={.status.readyReplicas}")
                        .ok()
                        .out())
                .isEqualTo("2");
        kube.eventually(
                PATIENCE,
                out -> out.contains("BEGIN CERTIFICATE") || out.length() > 100,
                "get",
                "mutatingwebhookconfiguration",
                "signet-injector-signet-system",
                "-o",
                "jsonpath={.webhooks[0].clientConfig.caBundle}");
    }

    @Test
    @Order(2)
    void injected_deployments_get_their_identity_and_the_policy_holds_between_real_pods() throws Exception {
        kube.kubectl("create", "namespace", "shop").ok();
        kube.kubectl("label", "namespace", "shop", "signet.dev/inject=enabled").ok();
        Path shop = dir.resolve("shop.yaml");
        Files.writeString(shop, Shop.MANIFEST + Shop.POLICY);
        kube.kubectl("apply", "-f", shop.toString()).ok();
        for (String deployment : List.of("payments", "checkout", "other")) {
            kube.kubectl("rollout", "status", "deployment/" + deployment, "-n", "shop", "--timeout=240s")
                    .ok();
        }
        String checkout = pod("checkout");
        assertThat(kube.kubectl(
                                "get",
                                "pod",
                                checkout,
                                "-n",
                                "shop",
                                "-o",
                                "jsonpath={.spec.initContainers[0].name}/{.spec.initContainers[0].restartPolicy}")
                        .ok()
                        .out())
                .isEqualTo("signet-agent/Always");
        assertThat(svid(checkout).getSubjectAlternativeNames().toString())
                .contains("spiffe://cluster.local/ns/shop/sa/checkout");
        // A pod that asked for the Workload API reads its identity from the socket, as a SPIFFE client would.
        String other = pod("other");
        String x509 = kube.kubectl("exec", other, "-n", "shop", "-c", "charge", "--", "signet", "api", "x509")
                .ok()
                .out();
        assertThat(x509.lines()).contains("spiffe://cluster.local/ns/shop/sa/other");
        assertThat(x509).contains("the chain verifies against it").doesNotContain("WARNING");
        // The JVM announces JAVA_TOOL_OPTIONS first; the token is the last line.
        String token = kube.kubectl(
                        "exec", other, "-n", "shop", "-c", "charge", "--", "signet", "api", "jwt", "-a", "payments")
                .ok()
                .out()
                .strip()
                .lines()
                .reduce((a, b) -> b)
                .orElse("");
        assertThat(kube.kubectl(
                                "exec",
                                other,
                                "-n",
                                "shop",
                                "-c",
                                "charge",
                                "--",
                                "signet",
                                "api",
                                "validate",
                                "-a",
                                "payments",
                                token)
                        .ok()
                        .out())
                .contains("valid: spiffe://cluster.local/ns/shop/sa/other");

        Map<String, JsonNode> before = awaitTraffic();
        Thread.sleep(3_000);
        Map<String, JsonNode> after = stats();
        assertThat(delta(before, after, "checkout/charge", "ok")).isPositive();
        assertThat(delta(before, after, "checkout/charge", "denied")).isZero();
        assertThat(delta(before, after, "checkout/refund", "denied")).isPositive();
        assertThat(delta(before, after, "checkout/refund", "ok")).isZero();
        assertThat(delta(before, after, "other/charge", "denied")).isPositive();
        assertThat(delta(before, after, "other/charge", "ok")).isZero();

        // A policy edit reaches the running Pods: other may now charge, and nothing restarts.
        Path edit = dir.resolve("edit.yaml");
        String edited = Shop.POLICY.replace(
                "principals: [\"cluster.local/ns/shop/sa/checkout\"]",
                "principals: [\"cluster.local/ns/shop/sa/checkout\", \"cluster.local/ns/shop/sa/other\"]");
        assertThat(edited).isNotEqualTo(Shop.POLICY);
        Files.writeString(edit, edited);
        kube.kubectl("apply", "-f", edit.toString()).ok();
        long allowedAt = System.nanoTime();
        long otherOk = count(stats(), "other/charge", "ok");
        while (count(stats(), "other/charge", "ok") == otherOk) {
            assertThat(System.nanoTime() - allowedAt)
                    .isLessThan(Duration.ofSeconds(30).toNanos());
            Thread.sleep(100);
        }
        SUMMARY.put("policy edit to the first allowed call", seconds(allowedAt));
        assertThat(restarts()).isZero();
        proxyStatusAndVersionAcrossReplicas();
        // Counted from when every caller had its first answer: a call made before payments served may fail.
        assertThat(failures(before, stats())).isZero();
    }

    /** The control plane's Pods, by the chart's label. */
    private static List<String> controlPlanePods() throws Exception {
        return List.of(kube.kubectl(
                        "get",
                        "pods",
                        "-n",
                        "signet-system",
                        "-l",
                        "app.kubernetes.io/name=signet",
                        "-o",
                        "jsonpath={.items[*].metadata.name}")
                .ok()
                .out()
                .trim()
                .split(" "));
    }

    /**
     * {@code signet proxy-status --cluster} and {@code version --cluster}, the packaged CLI as an admin runs it: every
     * replica found by label, reached through a port-forward, its credential read from the Pod.
     */
    private static void proxyStatusAndVersionAcrossReplicas() throws Exception {
        List<String> replicas = controlPlanePods();
        assertThat(replicas).hasSize(2);
        long started = System.nanoTime();
        SignetProcess.Result status;
        do {
            status = SignetProcess.run(dir, "proxy-status", "--cluster", "--kubeconfig", admin.toString());
            assertThat(status.exitCode()).as(status.err()).isZero();
        } while (!status.out().contains(", 0 waiting") && System.nanoTime() - started < PATIENCE.toNanos());
        List<String> lines = status.out().lines().toList();
        SUMMARY.put("proxy-status --cluster", "\n" + status.out().strip());
        // gRPC's xDS clients ask for LDS, CDS and EDS (routes come inside the listener); a server only for LDS.
        assertThat(lines.get(0)).matches("PROXY\\s+WORKLOAD\\s+REPLICA\\s+LDS(\\s+(RDS|CDS|EDS))*\\s+AGE");
        List<String> rows = lines.subList(1, lines.size() - 1);
        for (String workload : List.of("payments", "checkout", "other")) {
            assertThat(rows).anyMatch(row -> row.contains("shop/" + workload));
        }
        assertThat(rows)
                .as("each row on one of the replicas, every type SYNCED")
                .allMatch(row -> replicas.stream().anyMatch(row::contains))
                .allMatch(row -> row.matches("\\S+\\s+\\S+\\s+\\S+(\\s+(SYNCED|NOT SENT))+\\s+\\S+"))
                .allMatch(row -> row.contains(" SYNCED "));
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo(rows.size() + " proxies: " + rows.size()
                        + " synced, 0 with a NACK, 0 waiting (2 replicas asked)");

        SignetProcess.Result version = SignetProcess.run(dir, "version", "--cluster", "--kubeconfig", admin.toString());
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out().lines().skip(1).toList())
                .hasSize(2)
                .allMatch(line -> line.matches("server signet-\\S+: signet \\d+\\.\\d+\\.\\d+\\S* \\(commit \\S+\\)"));
    }

    @Test
    @Order(3)
    void a_rolling_restart_of_the_control_plane_under_traffic_fails_no_call() throws Exception {
        String holder = leaseHolder();
        List<String> old = controlPlanePods();
        Map<String, JsonNode> before = stats();
        long started = System.nanoTime();
        kube.kubectl("rollout", "restart", "deployment/signet", "-n", "signet-system")
                .ok();
        // Each old pod, from when it is marked for deletion (SIGTERM) to when it is gone: the kubelet would SIGKILL
        // it at the grace period's end, so gone before that means it exited by itself.
        Map<String, Long> terminating = new LinkedHashMap<>();
        Map<String, Duration> shutdown = new LinkedHashMap<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (shutdown.size() < old.size()) {
            assertThat(System.nanoTime()).as("old replicas still there: " + old).isLessThan(deadline);
            Map<String, String> pods = new LinkedHashMap<>();
            kube.kubectl(
                            "get",
                            "pods",
                            "-n",
                            "signet-system",
                            "-o",
                            "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}")
                    .ok()
                    .out()
                    .lines()
                    .map(line -> line.trim().split(" ", 2))
                    .forEach(fields -> pods.put(fields[0], fields.length > 1 ? fields[1] : ""));
            long now = System.nanoTime();
            for (String pod : old) {
                if (!pods.getOrDefault(pod, "").isBlank()) {
                    terminating.putIfAbsent(pod, now);
                }
                if (!pods.containsKey(pod) && !shutdown.containsKey(pod)) {
                    shutdown.put(pod, Duration.ofNanos(now - terminating.getOrDefault(pod, now)));
                }
            }
            Thread.sleep(200);
        }
        kube.kubectl("rollout", "status", "deployment/signet", "-n", "signet-system", "--timeout=240s")
                .ok();
        SUMMARY.put("rollout restart of 2 replicas", seconds(started));
        SUMMARY.put(
                "old replicas, SIGTERM to gone (grace 30 s)",
                shutdown.values().stream()
                        .map(d -> String.format("%.1f s", d.toMillis() / 1000.0))
                        .toList()
                        .toString());
        assertThat(shutdown.values()).allMatch(d -> d.compareTo(Duration.ofSeconds(30)) < 0);
        String newHolder = kube.eventually(
                PATIENCE,
                out -> !out.isBlank() && !old.contains(out.trim()),
                "get",
                "lease",
                "signet-leader",
                "-n",
                "signet-system",
                "-o",
                "jsonpath={.spec.holderIdentity}");
        assertThat(newHolder).isNotEqualTo(holder);
        assertCallsWentOnWithoutFailure(before);
    }

    @Test
    @Order(4)
    void a_root_rotation_under_traffic_renews_the_pods_files_without_restart_and_fails_no_call() throws Exception {
        String checkout = pod("checkout");
        X509Certificate first = svid(checkout);
        Map<String, JsonNode> before = stats();
        long started = System.nanoTime();
        Path rotation = dir.resolve("rotation.yaml");
        Files.writeString(rotation, """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: on-a-real-node}
                spec:
                  newRoot: {generate: {algorithm: ec-p256, validity: 3650d}}
                """);
        kube.kubectl("apply", "-f", rotation.toString()).ok();
        kube.eventually(
                Duration.ofMinutes(5),
                "Complete"::equals,
                "get",
                "rootrotation",
                "on-a-real-node",
                "-o",
                "jsonpath={.status.phase}");
        SUMMARY.put("root rotation with real Pods", seconds(started));
        X509Certificate renewed = svid(checkout);
        assertThat(renewed.getIssuerX500Principal()).isNotEqualTo(first.getIssuerX500Principal());
        assertCallsWentOnWithoutFailure(before);
    }

    @Test
    @Order(5)
    void a_replaced_pod_gets_a_new_svid_and_an_unlabelled_namespace_gets_no_agent() throws Exception {
        String checkout = pod("checkout");
        X509Certificate old = svid(checkout);
        kube.kubectl("delete", "pod", checkout, "-n", "shop", "--wait=true").ok();
        kube.kubectl("rollout", "status", "deployment/checkout", "-n", "shop", "--timeout=240s")
                .ok();
        String replacement = kube.eventually(
                PATIENCE,
                out -> !out.isBlank() && !out.contains(checkout),
                "get",
                "pods",
                "-n",
                "shop",
                "-l",
                "app=checkout",
                "--field-selector=status.phase=Running",
                "-o",
                "jsonpath={.items[*].metadata.name}");
        X509Certificate renewed = svid(replacement.trim());
        assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(renewed.getSubjectAlternativeNames().toString())
                .contains("spiffe://cluster.local/ns/shop/sa/checkout");

        kube.kubectl("create", "namespace", "elsewhere").ok();
        Path plain = dir.resolve("plain.yaml");
        Files.writeString(plain, """
                apiVersion: v1
                kind: Pod
                metadata: {name: plain, namespace: elsewhere}
                spec:
                  containers:
                  - name: app
                    image: ghcr.io/signet-mesh/signet:0.1.0
                    imagePullPolicy: Never
                    args: ["--version"]
                  restartPolicy: Never
                """);
        kube.kubectl("apply", "-f", plain.toString()).ok();
        assertThat(kube.kubectl("get", "pod", "plain", "-n", "elsewhere", "-o", "jsonpath={.spec.initContainers}")
                        .ok()
                        .out())
                .isEmpty();
    }

    /** Since {@code before}: checkout's charges still answered, no call failed but by policy, no container restarted. */
    private static void assertCallsWentOnWithoutFailure(Map<String, JsonNode> before) throws Exception {
        Thread.sleep(3_000);
        Map<String, JsonNode> after = stats();
        assertThat(delta(before, after, "checkout/charge", "ok")).isPositive();
        assertThat(failures(before, after)).as(after.toString()).isZero();
        assertThat(restarts()).isZero();
    }

    private static String pod(String app) throws Exception {
        return kube.kubectl(
                        "get",
                        "pods",
                        "-n",
                        "shop",
                        "-l",
                        "app=" + app,
                        "--field-selector=status.phase=Running",
                        "-o",
                        "jsonpath={.items[0].metadata.name}")
                .ok()
                .out()
                .trim();
    }

    private static String leaseHolder() throws Exception {
        return kube.kubectl(
                        "get", "lease", "signet-leader", "-n", "signet-system", "-o", "jsonpath={.spec.holderIdentity}")
                .ok()
                .out()
                .trim();
    }

    /** The workload certificate in the Pod's files, read with kubectl exec as an operator would. */
    private static X509Certificate svid(String pod) throws Exception {
        String pem = kube.kubectl(
                        "exec", pod, "-n", "shop", "-c", "charge", "--", "cat", "/var/run/signet/certs/cert-chain.pem")
                .ok()
                .out();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Every caller's counts, from its /stats on the Pod's address. */
    private static Map<String, JsonNode> stats() throws Exception {
        // One listing for every caller's address: this runs in loops that poll.
        Map<String, String> addresses = new LinkedHashMap<>();
        kube.kubectl(
                        "get",
                        "pods",
                        "-n",
                        "shop",
                        "--field-selector=status.phase=Running",
                        "-o",
                        "jsonpath={range .items[*]}{.metadata.labels.app} {.status.podIP}{\"\\n\"}{end}")
                .ok()
                .out()
                .lines()
                .map(line -> line.trim().split(" "))
                .filter(fields -> fields.length == 2)
                .forEach(fields -> addresses.putIfAbsent(fields[0], fields[1]));
        Map<String, JsonNode> all = new LinkedHashMap<>();
        for (String[] caller : Shop.CALLERS) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://" + addresses.get(caller[0]) + ":" + caller[2] + "/stats"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            all.put(caller[0] + "/" + caller[1], JSON.readTree(response.body()));
        }
        return all;
    }

    /** Waits until every caller has had an answer (allowed or refused), and returns the counts then. */
    private static Map<String, JsonNode> awaitTraffic() throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (true) {
            try {
                Map<String, JsonNode> now = stats();
                if (now.values().stream()
                        .allMatch(s -> s.path("ok").asLong() + s.path("denied").asLong() > 0)) {
                    return now;
                }
                last = now.toString();
            } catch (java.io.IOException e) {
                last = "a caller's stats port does not answer yet: " + e;
            }
            assertThat(System.nanoTime())
                    .as("callers never got an answer; last: " + last)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static long count(Map<String, JsonNode> stats, String caller, String field) {
        return stats.get(caller).path(field).asLong();
    }

    private static long delta(Map<String, JsonNode> before, Map<String, JsonNode> after, String caller, String field) {
        return count(after, caller, field) - count(before, caller, field);
    }

    private static long failures(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        return after.keySet().stream()
                .mapToLong(c -> delta(before, after, c, "failed"))
                .sum();
    }

    private static long restarts() throws Exception {
        String counts = kube.kubectl(
                        "get",
                        "pods",
                        "-n",
                        "shop",
                        "-o",
                        "jsonpath={.items[*].status.containerStatuses[*].restartCount}")
                .ok()
                .out()
                .trim();
        return java.util.Arrays.stream(counts.split(" "))
                .filter(s -> !s.isBlank())
                .mapToLong(Long::parseLong)
                .sum();
    }

    private static String seconds(long since) {
        return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
    }

    /** The shop as Deployments of the built image: payments serves, checkout and other call it. */
    private static final class Shop {

        /** Each caller: app, method, stats port. */
        static final String[][] CALLERS = {
            {"checkout", "charge", "8081"}, {"checkout", "refund", "8082"}, {"other", "charge", "8081"}
        };

        /** The demo's: only checkout may charge; mutual TLS everywhere. */
        static final String POLICY = "---\n" + DemoCommand.POLICY;

        static final String MANIFEST = deployment("payments", """
                      - name: payments
                        image: ghcr.io/signet-mesh/signet:0.1.0
                        imagePullPolicy: Never
                        args: [demo, payments, --port, "8080"]
                        ports: [{name: grpc-payments, containerPort: 8080}]
                """)
                + deployment("checkout", caller("charge", "Charge", 8081) + caller("refund", "Refund", 8082))
                + deployment("other", caller("charge", "Charge", 8081))
                        .replace(
                                "metadata: {labels: {app: other}}",
                                "metadata: {labels: {app: other}, annotations: {signet.dev/workload-api: \"true\"}}");

        private static String caller(String name, String method, int statsPort) {
            return """
                      - name: %s
                        image: ghcr.io/signet-mesh/signet:0.1.0
                        imagePullPolicy: Never
                        args: [demo, caller, --target, "payments.shop:8080", --method, %s, --every, 100ms, --stats-port, "%d"]
                """.formatted(name, method, statsPort);
        }

        private static String deployment(String app, String containers) {
            return """
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: %1$s, namespace: shop}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: shop}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      serviceAccountName: %1$s
                      containers:
                %2$s""".formatted(app, containers);
        }
    }
}
