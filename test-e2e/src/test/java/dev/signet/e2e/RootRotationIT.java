package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.testing.Openssl;
import dev.signet.cli.demo.DemoCommand;
import dev.signet.cli.demo.GrpcWorkloads;
import io.grpc.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Root rotation in a cluster: RootRotation resources applied with the real kubectl to a real API server, the control
 * plane running as the chart's service account, gRPC xDS workloads whose agents keep running against it. The tests
 * build on each other (the second rotates from the root the first left), so order matters.
 */
@RealCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RootRotationIT {

    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String[] SERVE = {"--rotation-settle", "2s"};

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.withChart();

    static Path dir;
    static KubeApiServer kube;
    static Path kubeconfig;
    /** The cluster admin's: what a person running the CLI has (the operator's own may not patch rotations). */
    static Path admin;

    static int grpcPort;
    static int followerPort;
    static OperatorProcess operator;
    static OperatorProcess follower;
    static int paymentsPort;
    static GrpcWorkloads.Running payments;
    static GrpcWorkloads.Running checkout;
    static LiveHealth health;

    @BeforeAll
    static void start() throws Exception {
        dir = cluster.dir();
        kube = cluster.kube();
        kubeconfig = cluster.kubeconfig();
        admin = kube.kubeconfig(dir.resolve("admin.kubeconfig"), kube.adminToken());
        health = LiveHealth.build(kube);
        // Whichever processes the replicas' fields hold at the end: the tests kill and restart them.
        cluster.closeAfter(() -> {
            for (OperatorProcess replica : new OperatorProcess[] {operator, follower}) {
                if (replica != null) {
                    replica.close();
                }
            }
        });
        paymentsPort = SignetProcess.freePort();
        ShopPods.register(kube, dir, paymentsPort);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, DemoCommand.POLICY);
        kube.kubectl("apply", "-f", policy.toString()).ok();
        grpcPort = SignetProcess.freePort();
        operator = OperatorProcess.start(dir, kubeconfig, "rotator", grpcPort, SERVE);
        kube.eventually(out -> out.endsWith("-" + operator.pid()), LEASE_HOLDER);
        // A second replica, as the chart runs two: checkout's agent talks to it, so the leader's gates must count
        // what this replica reports.
        followerPort = SignetProcess.freePort();
        follower = OperatorProcess.start(dir, kubeconfig, "follower", followerPort, SERVE);
        Path root = ShopPods.publishedRoot(kube, dir.resolve("r1.pem"));
        payments = agent("payments", root, grpcPort);
        checkout = agent("checkout", root, followerPort);
        Server server = GrpcWorkloads.startPayments(paymentsPort, payments.bootstrap());
        cluster.closeAfter(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    }

    private static final String[] LEASE_HOLDER = {
        "get", "lease", "signet-leader", "-n", "signet-system", "-o", "jsonpath={.spec.holderIdentity}"
    };

    private static GrpcWorkloads.Running agent(String account, Path root, int port) throws Exception {
        GrpcWorkloads.Running running = GrpcWorkloads.run(
                "localhost:" + port,
                root,
                ShopPods.token(kube, dir, account),
                dir.resolve("pod-" + account),
                "shop",
                account,
                REFRESH,
                Clock.systemUTC(),
                new SecureRandom());
        cluster.closeAfter(running);
        return running;
    }

    private static String field(String rotation, String jsonPath) throws Exception {
        return kube.kubectl("get", "rootrotation", rotation, "-o", "jsonpath={" + jsonPath + "}")
                .ok()
                .out()
                .trim();
    }

    /** {@code signet rotate ARGS --cluster}, the packaged CLI against the real API server; it must succeed. */
    private static SignetProcess.Result rotate(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("rotate"));
        command.addAll(List.of(args));
        command.addAll(List.of("--cluster", "--kubeconfig", admin.toString()));
        SignetProcess.Result result = SignetProcess.run(dir, command.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result;
    }

    private static String awaitPhase(String rotation, String phase) throws Exception {
        return kube.eventually(
                PATIENCE, phase::equals, "get", "rootrotation", rotation, "-o", "jsonpath={.status.phase}");
    }

    private static Path apply(String name, String yaml) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String caSecretRoot() throws Exception {
        String base64 = kube.kubectl(
                        "get", "secret", "signet-ca", "-n", "signet-system", "-o", "jsonpath={.data.root-cert\\.pem}")
                .ok()
                .out()
                .trim();
        return new String(Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String fingerprint(String pem) {
        return Fingerprints.sha256(Pem.certificates(pem).get(0));
    }

    @Test
    @Order(1)
    void an_automatic_rotation_applied_with_kubectl_completes_under_traffic_with_no_failed_call() throws Exception {
        String r1 = fingerprint(Files.readString(dir.resolve("r1.pem")));
        int[] channels = {0};
        Traffic traffic = Traffic.start(() -> GrpcWorkloads.client(
                "xds-k8s-rotation-" + channels[0]++, "payments.shop:" + paymentsPort, checkout.bootstrap()));
        cluster.closeAfter(traffic);
        traffic.awaitMore(5);

        kube.kubectl("apply", "-f", apply("spring", """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: spring}
                spec:
                  newRoot: {generate: {algorithm: ec-p256, validity: 3650d}}
                """).toString()).ok();
        // An admin watching from a terminal's pipe: a line per change, until it completes.
        Path watchLog = dir.resolve("watch.log");
        Process watch = SignetProcess.start(
                dir, watchLog, "rotate", "status", "--cluster", "--kubeconfig", admin.toString(), "--watch");
        cluster.closeAfter(() -> watch.destroyForcibly());
        awaitPhase("spring", "Activate");
        assertThat(kstatus("spring"))
                .as("upstream kstatus waits for a running rotation")
                .startsWith("RootRotation/spring InProgress");
        assertThat(gitops("spring")).startsWith("RootRotation/spring argocd=Progressing flux=InProgress");
        traffic.awaitMore(5);
        awaitPhase("spring", "Retire");
        traffic.awaitMore(5);
        awaitPhase("spring", "Complete");
        assertThat(watch.waitFor(30, TimeUnit.SECONDS))
                .as("the watch ends once the rotation is complete")
                .isTrue();
        assertThat(watch.exitValue()).as(Files.readString(watchLog)).isZero();
        List<String> watched = Files.readString(watchLog).lines().toList();
        assertThat(watched)
                .as("each line stamped with its time")
                .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z .*"));
        List<String> phases = List.of("PENDING", "PREPARE", "ACTIVATE", "RETIRE", "COMPLETE");
        List<String> seen = watched.stream()
                .map(line -> line.split(" ")[1])
                .filter(phases::contains)
                .distinct()
                .toList();
        assertThat(seen)
                .as("the phases as they came, in order (the CLI starts a moment after the apply)")
                .containsSubsequence("ACTIVATE", "RETIRE", "COMPLETE")
                .isSortedAccordingTo(java.util.Comparator.comparing(phases::indexOf));
        assertThat(watched.get(watched.size() - 1)).endsWith(" COMPLETE bundle v3");
        assertThat(String.join("\n", watched)).doesNotContain("\u001b");
        traffic.awaitMore(10);
        traffic.close();
        assertThat(traffic.failures())
                .as("calls that failed during the rotation")
                .isEmpty();

        String r2 = field("spring", ".status.toRoot");
        assertThat(field("spring", ".status.fromRoot")).isEqualTo(r1);
        assertThat(r2).isNotEqualTo(r1);
        assertThat(field("spring", ".status.bundleVersion")).isEqualTo("3");
        assertThat(field("spring", ".status.oldRootLeavesInUse")).isEqualTo("0");
        assertThat(field("spring", ".status.phaseTimes.retire")).isNotBlank();
        assertThat(field("spring", ".status.conditions[?(@.type==\"Progressing\")].reason"))
                .isEqualTo("Complete");
        assertThat(field("spring", ".status.conditions[?(@.type==\"Accepted\")].reason"))
                .as("not still Running")
                .isEqualTo("Complete");
        assertThat(field("spring", ".status.conditions[?(@.type==\"Ready\")].status"))
                .isEqualTo("True");
        assertThat(kstatus("spring")).startsWith("RootRotation/spring Current");
        assertThat(gitops("spring")).startsWith("RootRotation/spring argocd=Healthy flux=Current");
        String table = kube.kubectl("get", "rootrotations").ok().out();
        assertThat(table.lines().findFirst().orElseThrow())
                .matches("NAME\\s+PHASE\\s+ROLLBACK\\s+CONFIRMED\\s+OLD-LEAVES\\s+READY\\s+AGE");
        assertThat(table).containsPattern("spring\\s+Complete\\s+false\\s+\\S+\\s+0\\s+True\\s+");

        // The bundle every namespace mounts, the CA Secret and the workloads' chains: R2 only.
        Path published = ShopPods.publishedRoot(kube, dir.resolve("after-spring.pem"));
        assertThat(Pem.certificates(Files.readString(published))).hasSize(1);
        assertThat(fingerprint(Files.readString(published))).isEqualTo(r2);
        assertThat(fingerprint(caSecretRoot())).isEqualTo(r2);
        assertThat(kube.kubectl("get", "secret", "signet-ca-next", "-n", "signet-system")
                        .exitCode())
                .as("the candidate Secret is gone once promoted")
                .isNotZero();
        for (GrpcWorkloads.Running workload : List.of(payments, checkout)) {
            String chain = workload.certificates().resolve("cert-chain.pem").toString();
            assertThat(Openssl.ok(dir, "verify", "-CAfile", published.toString(), "-untrusted", chain, chain))
                    .contains("OK");
            assertThat(Openssl.run(
                                    dir,
                                    "verify",
                                    "-CAfile",
                                    dir.resolve("r1.pem").toString(),
                                    "-untrusted",
                                    chain,
                                    chain)
                            .exitCode())
                    .as("nothing in use leads to the old root")
                    .isNotZero();
        }
        assertThat(kube.kubectl(
                                "get",
                                "events",
                                "-n",
                                "default",
                                "--field-selector",
                                "involvedObject.name=spring,reason=PhaseEntered",
                                "-o",
                                "name")
                        .ok()
                        .out()
                        .lines()
                        .count())
                .as("an Event per phase entered")
                .isGreaterThanOrEqualTo(4);
        assertThat(operator.log()).doesNotContain("PRIVATE KEY");
        assertThat(follower.log())
                .contains("following rotation spring in ACTIVATE")
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    @Order(2)
    void a_manual_rotation_survives_kills_reaches_new_namespaces_passes_a_forced_gate_and_rolls_back()
            throws Exception {
        String r2 = fingerprint(caSecretRoot());
        kube.kubectl("apply", "-f", apply("autumn", """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: autumn}
                spec: {mode: Manual, archiveOldKey: false}
                """).toString()).ok();
        kube.eventually(PATIENCE, "2/2"::equals, "get", "rootrotation", "autumn", "-o", "jsonpath={.status.confirmed}");
        String id = field("autumn", ".status.rotationId");
        assertThat(field("autumn", ".status.phase")).isEqualTo("Prepare");
        assertThat(field("autumn", ".status.namespacesPublished")).matches("(\\d+)/\\1");
        kube.eventually(PATIENCE, "true"::equals, "get", "rootrotation", "autumn", "-o", "jsonpath={.status.gateOpen}");
        assertThat(rotate("status").out())
                .as("the resource's status, as the standalone endpoint's is shown")
                .contains("rotation autumn: PREPARE (manual), trust bundle v")
                .contains("gate: 2/2 workloads confirmed bundle v")
                .contains("(open)")
                .contains("workloads confirmed: 2/2")
                .contains(
                        "kubectl patch rootrotation NAME --type=merge -p '{\"spec\":{\"targetPhase\":\"Activate\"}}'");
        assertThat(field("autumn", ".status.advancesAt"))
                .as("a Manual rotation at its target waits for its admin, not for a time")
                .isEmpty();
        SignetProcess.Result issuer =
                SignetProcess.run(dir, "rotate", "issuer", "--cluster", "--kubeconfig", admin.toString());
        assertThat(issuer.exitCode()).isEqualTo(1);
        assertThat(issuer.err()).contains("rotate issuer works on a standalone control plane");

        // One rotation at a time: another waits its turn, and says for which; deleting it while it waits is harmless.
        assertThat(rotate("start", "--name", "winter").out())
                .contains("RootRotation winter: not started yet")
                .contains("queued behind RootRotation autumn, which runs now");
        assertThat(kube.eventually(
                        "Queued"::equals,
                        "get",
                        "rootrotation",
                        "winter",
                        "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Reconciling\")].reason}"))
                .isEqualTo("Queued");
        assertThat(field("winter", ".status.conditions[?(@.type==\"Reconciling\")].message"))
                .isEqualTo("Queued behind rotation autumn (in Prepare); starts once it completes.");
        assertThat(kstatus("winter")).startsWith("RootRotation/winter InProgress");
        assertThat(gitops("winter")).startsWith("RootRotation/winter argocd=Progressing flux=InProgress");
        kube.kubectl("delete", "rootrotation", "winter").ok();
        assertThat(field("autumn", ".status.rotationId")).isEqualTo(id);

        restartAfterKill();
        assertThat(awaitPhase("autumn", "Prepare")).isEqualTo("Prepare");
        assertThat(field("autumn", ".status.rotationId")).isEqualTo(id);
        String bundleVersion = field("autumn", ".status.bundleVersion");

        // A namespace made during the rotation is given the bundle of the phase: both roots.
        kube.kubectl("create", "namespace", "late").ok();
        kube.eventually(
                bundleVersion::equals,
                "get",
                "configmap",
                "signet-root-cert",
                "-n",
                "late",
                "-o",
                "jsonpath={.metadata.annotations.signet\\.dev/bundle-version}");
        String lateBundle = kube.kubectl(
                        "get", "configmap", "signet-root-cert", "-n", "late", "-o", "jsonpath={.data.root-cert\\.pem}")
                .ok()
                .out();
        assertThat(Pem.certificates(lateBundle)).hasSize(2);

        // A stopped agent keeps its leaf under the old root, which holds ACTIVATE; status names it.
        checkout.close();
        assertThat(rotate("advance").out()).contains("rotation autumn: PREPARE (manual)");
        assertThat(field("autumn", ".spec.targetPhase")).isEqualTo("Activate");
        awaitPhase("autumn", "Activate");
        kube.eventually(
                PATIENCE,
                out -> out.contains("sa/checkout"),
                "get",
                "rootrotation",
                "autumn",
                "-o",
                "jsonpath={.status.laggards}");
        kube.eventually(
                PATIENCE, "1"::equals, "get", "rootrotation", "autumn", "-o", "jsonpath={.status.oldRootLeavesInUse}");
        assertThat(field("autumn", ".status.confirmed"))
                .as("payments, still connected")
                .isEqualTo("1/1");

        restartUntilTheFirstReplicaLeads();
        assertThat(kube.kubectl(LEASE_HOLDER).ok().out())
                .as("the first replica leads; checkout's leaf is the follower's")
                .endsWith("-" + operator.pid());
        kube.eventually(
                PATIENCE,
                out -> out.contains("sa/checkout"),
                "get",
                "rootrotation",
                "autumn",
                "-o",
                "jsonpath={.status.laggards}");
        assertThat(field("autumn", ".status.phase"))
                .as("resumed in the same phase")
                .isEqualTo("Activate");
        assertThat(field("autumn", ".status.rotationId")).isEqualTo(id);

        var held = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(rotate("status", "-o", "json").out());
        assertThat(held.path("phase").asText()).isEqualTo("ACTIVATE");
        assertThat(held.path("gateOpen").asBoolean()).isFalse();
        assertThat(held.path("oldRootLeavesInUse").asLong()).isEqualTo(1);
        assertThat(held.path("laggards").toString()).contains("sa/checkout");
        rotate("advance");
        assertThat(field("autumn", ".spec.targetPhase")).isEqualTo("Retire");
        rotate("force", "--reason", "checkout is decommissioned");
        awaitPhase("autumn", "Retire");
        assertThat(field("autumn", ".status.forced[0].reason")).isEqualTo("checkout is decommissioned");
        assertThat(field("autumn", ".status.forced[0].phase")).isEqualTo("Activate");
        assertThat(kube.kubectl(
                                "get",
                                "events",
                                "-n",
                                "default",
                                "--field-selector",
                                "involvedObject.name=autumn,reason=GateForced",
                                "-o",
                                "jsonpath={.items[*].message}")
                        .ok()
                        .out())
                .contains("checkout is decommissioned");

        // Rolled back from RETIRE, it walks the gates the other way and ends where it started.
        kube.kubectl(
                        "patch",
                        "rootrotation",
                        "autumn",
                        "--type=merge",
                        "-p",
                        "{\"spec\":{\"rollback\":true,\"targetPhase\":\"Complete\"}}")
                .ok();
        kube.eventually(
                PATIENCE, "true"::equals, "get", "rootrotation", "autumn", "-o", "jsonpath={.status.rollingBack}");
        assertThat(kube.kubectl("get", "rr", "autumn").ok().out())
                .as("the rollback marker column")
                .containsPattern("autumn\\s+\\S+\\s+true\\s+");
        awaitPhase("autumn", "Complete");
        assertThat(field("autumn", ".status.toRoot")).isEqualTo(r2);
        assertThat(fingerprint(caSecretRoot())).isEqualTo(r2);
        Path published = ShopPods.publishedRoot(kube, dir.resolve("after-autumn.pem"));
        assertThat(Pem.certificates(Files.readString(published))).hasSize(1);
        assertThat(fingerprint(Files.readString(published))).isEqualTo(r2);
        assertThat(kube.kubectl("get", "secret", "signet-ca-next", "-n", "signet-system")
                        .exitCode())
                .as("the abandoned root's keys are gone")
                .isNotZero();
        String chain = payments.certificates().resolve("cert-chain.pem").toString();
        assertThat(Openssl.ok(dir, "verify", "-CAfile", published.toString(), "-untrusted", chain, chain))
                .contains("OK");

        // Declared together, two rotations run one after the other: the second starts by itself when the first ends.
        // (Manual and rolled back, so that neither waits for the leaf checkout, decommissioned above, still holds.)
        kube.kubectl("apply", "-f", apply("winter", """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: winter}
                spec: {mode: Manual}
                """).toString()).ok();
        kube.eventually(
                PATIENCE,
                out -> !out.isBlank(),
                "get",
                "rootrotation",
                "winter",
                "-o",
                "jsonpath={.status.rotationId}");
        kube.kubectl("apply", "-f", apply("frost", """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: frost}
                spec: {mode: Manual}
                """).toString()).ok();
        kube.eventually(
                "Queued"::equals,
                "get",
                "rootrotation",
                "frost",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Reconciling\")].reason}");
        assertThat(kstatus("frost")).startsWith("RootRotation/frost InProgress").contains("winter");
        for (String rotation : List.of("winter", "frost")) {
            kube.eventually(
                    PATIENCE,
                    out -> !out.isBlank(),
                    "get",
                    "rootrotation",
                    rotation,
                    "-o",
                    "jsonpath={.status.rotationId}");
            kube.kubectl(
                            "patch",
                            "rootrotation",
                            rotation,
                            "--type=merge",
                            "-p",
                            "{\"spec\":{\"rollback\":true,\"targetPhase\":\"Complete\"}}")
                    .ok();
            awaitPhase(rotation, "Complete");
        }
        assertThat(kstatus("frost")).startsWith("RootRotation/frost Current");
        assertThat(kstatus("winter"))
                .as("still Current with a later rotation on record")
                .startsWith("RootRotation/winter Current");
        assertThat(gitops("winter")).startsWith("RootRotation/winter argocd=Healthy flux=Current");
    }

    @Test
    @Order(3)
    void invalid_rotations_are_refused_naming_the_field() throws Exception {
        assertThat(refused("bad-mode", "{mode: Sometimes}")).contains("spec.mode");
        assertThat(refused("bad-target", "{targetPhase: Activate}"))
                .contains("targetPhase applies to mode Manual only");

        kube.kubectl("apply", "-f", apply("missing-secret", """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: missing-secret}
                spec: {newRoot: {secretRef: {name: no-such-root}}}
                """).toString()).ok();
        assertThat(kube.eventually(
                        out -> !out.isBlank(),
                        "get",
                        "rootrotation",
                        "missing-secret",
                        "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Accepted\")].message}"))
                .contains("spec.newRoot.secretRef.name")
                .contains("no-such-root");
        assertThat(field("missing-secret", ".status.phase")).isEmpty();
        assertThat(kstatus("missing-secret"))
                .startsWith("RootRotation/missing-secret Failed")
                .contains("no-such-root");
        assertThat(gitops("missing-secret")).startsWith("RootRotation/missing-secret argocd=Degraded flux=Failed");
    }

    @Test
    @Order(4)
    void a_replica_report_that_cannot_be_read_holds_the_gate_and_a_gone_replicas_report_is_deleted() throws Exception {
        replicaReport("signet-replica-broken", "not gzip".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        replicaReport("signet-replica-gone", gzip("""
                {"replica":"gone","at":"2020-01-01T00:00:00Z","workloads":{"shop/old":1},
                 "leaves":{"aa11":[{"serial":"1f","holder":"spiffe://cluster.local/ns/shop/sa/old",
                                    "notAfter":"2020-01-02T00:00:00Z"}]},"replaced":[]}"""));

        kube.kubectl("apply", "-f", apply("summer", """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: summer}
                spec: {mode: Manual, targetPhase: Activate}
                """).toString()).ok();
        kube.eventually(
                PATIENCE,
                out -> out.contains("replica report signet-replica-broken (unreadable)"),
                "get",
                "rootrotation",
                "summer",
                "-o",
                "jsonpath={.status.laggards}");
        assertThat(field("summer", ".status.phase")).isEqualTo("Prepare");
        kube.eventually(
                PATIENCE,
                out -> !out.contains("signet-replica-gone"),
                "get",
                "configmaps",
                "-n",
                "signet-system",
                "-l",
                "signet.dev/replica-report=true",
                "-o",
                "name");

        // Mended (here: deleted, with every other report), the gate it held opens; the live replicas write theirs
        // again.
        kube.kubectl("delete", "configmaps", "-n", "signet-system", "-l", "signet.dev/replica-report=true")
                .ok();
        awaitPhase("summer", "Activate");
        kube.eventually(
                PATIENCE,
                out -> out.lines().count() == 2,
                "get",
                "configmaps",
                "-n",
                "signet-system",
                "-l",
                "signet.dev/replica-report=true",
                "-o",
                "name");
        assertThat(operator.log())
                .as("the leader's log, which says it once")
                .containsOnlyOnce("ConfigMap signet-system/signet-replica-broken:")
                .contains("deleting ConfigMap signet-system/signet-replica-gone");
    }

    /** A ConfigMap labelled as a replica's report, holding {@code content} as its gzipped report. */
    private static void replicaReport(String name, byte[] content) throws Exception {
        Path file = dir.resolve("report.json.gz");
        Files.write(file, content);
        kube.kubectl("create", "configmap", name, "-n", "signet-system", "--from-file=report.json.gz=" + file)
                .ok();
        kube.kubectl("label", "configmap", name, "-n", "signet-system", "signet.dev/replica-report=true")
                .ok();
    }

    private static byte[] gzip(String text) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
            gzip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** What kstatus makes of the RootRotation {@code name}. */
    private static String kstatus(String name) throws Exception {
        return health.kstatus("rootrotations.security.signet.dev", name);
    }

    /** What the shipped Argo CD and Flux checks make of the RootRotation {@code name}. */
    private static String gitops(String name) throws Exception {
        return health.gitops("rootrotations.security.signet.dev", name);
    }

    /** Applies a RootRotation that the API server must refuse; returns what kubectl said. */
    private static String refused(String name, String spec) throws Exception {
        KubeApiServer.Kubectl.Result result = kube.kubectl(
                "apply", "-f", apply(name, """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: %s}
                spec: %s
                """.formatted(name, spec)).toString());
        assertThat(result.exitCode()).as(result.out()).isNotZero();
        return result.out();
    }

    /**
     * Kills the leader until the first replica is the one that took over, so that checkout's leaf reaches the leader
     * only through the follower's report. Usually one kill does it; a loaded machine can let a Lease lapse between
     * kills, leaving the first replica leading at the start, and then a second kill hands the Lease back to it.
     */
    private static void restartUntilTheFirstReplicaLeads() throws Exception {
        for (int kills = 0; kills < 3; kills++) {
            restartAfterKill();
            if (kube.kubectl(LEASE_HOLDER).ok().out().endsWith("-" + operator.pid())) {
                return;
            }
        }
    }

    /**
     * SIGKILL of the replica that leads, as when its node dies. The other replica takes the Lease once the dead one's
     * runs out and drives the rotation from the same record; then the dead one comes back on its port with its volume,
     * as a rescheduled pod does. The leader alternates: after the first kill the follower (checkout's replica) leads,
     * after the second the first replica leads again and sees checkout's leaf only through the follower's report.
     */
    private static void restartAfterKill() throws Exception {
        String holder = kube.eventually(
                out -> out.endsWith("-" + operator.pid()) || out.endsWith("-" + follower.pid()), LEASE_HOLDER);
        boolean first = holder.endsWith("-" + operator.pid());
        OperatorProcess leader = first ? operator : follower;
        OperatorProcess survivor = first ? follower : operator;
        leader.kill();
        leader.close();
        kube.eventually(PATIENCE, out -> out.endsWith("-" + survivor.pid()), LEASE_HOLDER);
        OperatorProcess restarted = OperatorProcess.start(
                dir, kubeconfig, first ? "rotator" : "follower", first ? grpcPort : followerPort, SERVE);
        if (first) {
            operator = restarted;
        } else {
            follower = restarted;
        }
    }
}
