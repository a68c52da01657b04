package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.testing.Openssl;
import dev.signet.cli.demo.DemoCommand;
import dev.signet.cli.demo.GrpcWorkloads;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two operator replicas, as the chart deploys them, with a plug-in CA (Istio's {@code cacerts} Secret) and real gRPC
 * xDS workloads registered as Pods. Every replica serves the CA and xDS from its own informers; the Lease decides
 * who writes; a killed leader's duties pass to the other replica, and a stopped one exits and hands its Lease over.
 * The last tests stop replicas, so order matters.
 */
@RealCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorReplicasIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.withChart();

    static Path dir;
    static KubeApiServer kube;
    static OperatorProcess first;
    static OperatorProcess second;
    static Path pluginRoot;
    static int paymentsPort;
    static ManagedChannel checkout;
    static ManagedChannel other;
    /** The chart's terminationGracePeriodSeconds: what a replica has between SIGTERM and SIGKILL. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    @BeforeAll
    static void start() throws Exception {
        dir = cluster.dir();
        kube = cluster.kube();
        Path kubeconfig = cluster.kubeconfig();
        // The plug-in CA as Istio documents it: the four files of `ca init`, in Secret cacerts.
        SignetProcess.Result init = SignetProcess.run(dir, "ca", "init", "--out", "plugin");
        assertThat(init.exitCode()).as(init.err()).isZero();
        pluginRoot = dir.resolve("plugin/root-cert.pem");
        List<String> secret = new ArrayList<>(List.of("create", "secret", "generic", "cacerts", "-n", "signet-system"));
        for (String file : List.of("ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem")) {
            secret.add("--from-file=" + dir.resolve("plugin").resolve(file));
        }
        kube.kubectl(secret.toArray(String[]::new)).ok();

        paymentsPort = SignetProcess.freePort();
        ShopPods.register(kube, dir, paymentsPort);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, DemoCommand.POLICY);
        kube.kubectl("apply", "-f", policy.toString()).ok();

        // Both at once, as a rollout starts them.
        CompletableFuture<OperatorProcess> a = CompletableFuture.supplyAsync(() -> replica(kubeconfig, "replica-a"));
        CompletableFuture<OperatorProcess> b = CompletableFuture.supplyAsync(() -> replica(kubeconfig, "replica-b"));
        first = a.join();
        second = b.join();
        cluster.closeAfter(first);
        cluster.closeAfter(second);
    }

    private static OperatorProcess replica(Path kubeconfig, String name) {
        try {
            return OperatorProcess.start(dir, kubeconfig, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path token(String account) throws Exception {
        return ShopPods.token(kube, dir, account);
    }

    private static Path publishedRoot() throws Exception {
        return ShopPods.publishedRoot(kube, dir.resolve("published-root-cert.pem"));
    }

    @Test
    @Order(1)
    void both_replicas_issue_under_the_plug_in_ca_and_publish_its_root() throws Exception {
        assertThat(Files.readString(publishedRoot()).trim())
                .isEqualTo(Files.readString(pluginRoot).trim());
        assertThat(kube.kubectl("get", "secret", "signet-ca", "-n", "signet-system")
                        .exitCode())
                .as("with a plug-in CA no CA of Signet's own is made")
                .isNotZero();
        String intermediate =
                Openssl.ok(dir, "x509", "-in", dir.resolve("plugin/ca-cert.pem").toString(), "-noout", "-subject");
        for (OperatorProcess replica : new OperatorProcess[] {first, second}) {
            Path certs = dir.resolve("certs-" + replica.pid());
            SignetProcess.Result issued = SignetProcess.run(
                    dir,
                    "agent",
                    "--once",
                    "--ca-address",
                    "127.0.0.1:" + replica.grpcPort(),
                    "--ca-root",
                    pluginRoot.toString(),
                    "--token-file",
                    token("checkout").toString(),
                    "--out",
                    certs.toString());
            assertThat(issued.exitCode()).as(issued.out() + issued.err()).isZero();
            String chain = certs.resolve("cert-chain.pem").toString();
            assertThat(Openssl.ok(dir, "verify", "-CAfile", pluginRoot.toString(), "-untrusted", chain, chain))
                    .contains("OK");
            assertThat(Openssl.ok(dir, "x509", "-in", chain, "-noout", "-issuer"))
                    .isEqualTo(intermediate.replaceFirst("subject", "issuer"));
            assertThat(replica.log()).doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    @Order(2)
    void grpc_xds_workloads_registered_as_pods_obey_policies_applied_with_kubectl() throws Exception {
        Path root = publishedRoot();
        // Payments gets its certificate and configuration from one replica, its clients from the other.
        Map<String, Object> paymentsBootstrap = provision(first, root, "payments");
        Server payments = GrpcWorkloads.startPayments(paymentsPort, paymentsBootstrap);
        cluster.closeAfter(() -> payments.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        checkout = channel("checkout", provision(second, root, "checkout"));
        other = channel("other", provision(second, root, "other"));

        assertThat(GrpcWorkloads.call(checkout, GrpcWorkloads.CHARGE, "10 EUR")).isEqualTo("charged 10 EUR");
        assertDenied(() -> GrpcWorkloads.call(checkout, GrpcWorkloads.REFUND, "10 EUR"));
        assertDenied(() -> GrpcWorkloads.call(other, GrpcWorkloads.CHARGE, "10 EUR"));

        Path edited = dir.resolve("policy-edited.yaml");
        Files.writeString(
                edited,
                DemoCommand.POLICY.replace(
                        "principals: [\"cluster.local/ns/shop/sa/checkout\"]",
                        "principals: [\"cluster.local/ns/shop/sa/checkout\", \"cluster.local/ns/shop/sa/other\"]"));
        kube.kubectl("apply", "-f", edited.toString()).ok();
        assertThat(GrpcWorkloads.awaitOutcome(
                        Status.Code.OK, () -> GrpcWorkloads.call(other, GrpcWorkloads.CHARGE, "5 EUR")))
                .isEqualTo("charged 5 EUR");
        assertDenied(() -> GrpcWorkloads.call(other, GrpcWorkloads.REFUND, "5 EUR"));

        // A Pod that loses the label the policy selects is no longer guarded by it: Refund opens up.
        kube.kubectl("label", "pod", "payments", "-n", "shop", "app=payments-v2", "--overwrite")
                .ok();
        assertThat(GrpcWorkloads.awaitOutcome(
                        Status.Code.OK, () -> GrpcWorkloads.call(checkout, GrpcWorkloads.REFUND, "1 EUR")))
                .isEqualTo("refunded 1 EUR");
        kube.kubectl("label", "pod", "payments", "-n", "shop", "app=payments", "--overwrite")
                .ok();
        assertThat(GrpcWorkloads.awaitOutcome(
                        Status.Code.PERMISSION_DENIED,
                        () -> GrpcWorkloads.call(checkout, GrpcWorkloads.REFUND, "1 EUR")))
                .as("the policy guards payments again once the label is back")
                .isNull();
    }

    @Test
    @Order(3)
    void a_policy_that_was_never_valid_fails_closed_for_grpc_traffic() throws Exception {
        // No policy selects app=payments-v2: any mTLS caller may Refund.
        kube.kubectl("label", "pod", "payments", "-n", "shop", "app=payments-v2", "--overwrite")
                .ok();
        GrpcWorkloads.awaitOutcome(Status.Code.OK, () -> GrpcWorkloads.call(checkout, GrpcWorkloads.REFUND, "1 EUR"));

        // The API server admits a lower-case method; Signet refuses it. Left out, the workload would keep allowing
        // everyone; Istio, given the same YAML, denies everything (an ALLOW policy whose rule never matches).
        Path policy = dir.resolve("never-valid.yaml");
        String allow = """
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: lowercase, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments-v2}}
                  rules: [{to: [{operation: {methods: ["%s"]}}]}]
                """;
        Files.writeString(policy, allow.formatted("get"));
        kube.kubectl("apply", "-f", policy.toString()).ok();
        GrpcWorkloads.awaitOutcome(
                Status.Code.PERMISSION_DENIED, () -> GrpcWorkloads.call(checkout, GrpcWorkloads.REFUND, "1 EUR"));
        assertDenied(() -> GrpcWorkloads.call(other, GrpcWorkloads.CHARGE, "1 EUR"));
        String[] ready = {
            "get",
            "authorizationpolicy",
            "lowercase",
            "-n",
            "shop",
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}: "
                    + "{.status.conditions[?(@.type==\"Ready\")].message}"
        };
        assertThat(kube.eventually(out -> out.startsWith("FailedClosed"), ready))
                .contains("enforced as an ALLOW policy that matches no request");

        // Fixed, it allows what it says (gRPC calls are POSTs).
        Files.writeString(policy, allow.formatted("POST"));
        kube.kubectl("apply", "-f", policy.toString()).ok();
        assertThat(GrpcWorkloads.awaitOutcome(
                        Status.Code.OK, () -> GrpcWorkloads.call(other, GrpcWorkloads.REFUND, "2 EUR")))
                .isEqualTo("refunded 2 EUR");

        // A DENY policy that was never valid denies everything it selects, whatever the ALLOW policies say.
        Path deny = dir.resolve("never-valid-deny.yaml");
        Files.writeString(deny, """
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: broken-deny, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments-v2}}
                  action: DENY
                  rules: [{to: [{operation: {paths: ["Refund"]}}]}]
                """);
        kube.kubectl("apply", "-f", deny.toString()).ok();
        GrpcWorkloads.awaitOutcome(
                Status.Code.PERMISSION_DENIED, () -> GrpcWorkloads.call(checkout, GrpcWorkloads.CHARGE, "1 EUR"));
        kube.eventually(
                out -> out.startsWith("FailedClosed"),
                "get",
                "authorizationpolicy",
                "broken-deny",
                "-n",
                "shop",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}");

        kube.kubectl("delete", "-f", deny.toString()).ok();
        kube.kubectl("delete", "-f", policy.toString()).ok();
        kube.kubectl("label", "pod", "payments", "-n", "shop", "app=payments", "--overwrite")
                .ok();
        assertThat(GrpcWorkloads.awaitOutcome(
                        Status.Code.OK, () -> GrpcWorkloads.call(checkout, GrpcWorkloads.CHARGE, "3 EUR")))
                .isEqualTo("charged 3 EUR");
    }

    @Test
    @Order(4)
    void a_killed_leader_hands_the_lease_and_its_writes_to_the_other_replica() throws Exception {
        String[] holder = {
            "get", "lease", "signet-leader", "-n", "signet-system", "-o", "jsonpath={.spec.holderIdentity}"
        };
        String leaderIdentity =
                kube.eventually(out -> out.endsWith("-" + first.pid()) || out.endsWith("-" + second.pid()), holder);
        OperatorProcess leader = leaderIdentity.endsWith("-" + first.pid()) ? first : second;
        OperatorProcess survivor = leader == first ? second : first;

        leader.kill();
        // The Lease lasts 15 s after the last renewal; then the survivor takes it.
        kube.eventually(out -> out.endsWith("-" + survivor.pid()), holder);
        kube.kubectl("create", "namespace", "after-failover").ok();
        kube.eventually(
                out -> out.contains("BEGIN CERTIFICATE"),
                "get",
                "configmap",
                "signet-root-cert",
                "-n",
                "after-failover",
                "-o",
                "jsonpath={.data.root-cert\\.pem}");
        Path policy = dir.resolve("after-failover.yaml");
        Files.writeString(policy, """
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-nothing, namespace: after-failover}
                spec: {action: DENY, rules: [{to: [{operation: {paths: ["/admin"]}}]}]}
                """);
        kube.kubectl("apply", "-f", policy.toString()).ok();
        kube.eventually(
                "True"::equals,
                "get",
                "authorizationpolicy",
                "deny-nothing",
                "-n",
                "after-failover",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");

        // The survivor kept serving the CA throughout.
        SignetProcess.Result issued = SignetProcess.run(
                dir,
                "agent",
                "--once",
                "--ca-address",
                "127.0.0.1:" + survivor.grpcPort(),
                "--ca-root",
                pluginRoot.toString(),
                "--token-file",
                token("other").toString(),
                "--out",
                dir.resolve("after-failover-certs").toString());
        assertThat(issued.exitCode()).as(issued.out() + issued.err()).isZero();
    }

    @Test
    @Order(5)
    void a_terminated_replica_exits_by_itself_and_a_leader_hands_its_lease_over_at_once() throws Exception {
        String[] holder = {
            "get", "lease", "signet-leader", "-n", "signet-system", "-o", "jsonpath={.spec.holderIdentity}"
        };
        OperatorProcess leader = first.alive() ? first : second;
        kube.eventually(out -> out.endsWith("-" + leader.pid()), holder);

        OperatorProcess follower = OperatorProcess.start(dir, cluster.kubeconfig(), "replica-c");
        cluster.closeAfter(follower);
        Duration followerExit = follower.terminate(GRACE);
        assertThat(follower.exitValue())
                .as("a follower's exit status after SIGTERM")
                .isIn(0, 143);

        OperatorProcess next = OperatorProcess.start(dir, cluster.kubeconfig(), "replica-d");
        cluster.closeAfter(next);
        long stopped = System.nanoTime();
        Duration leaderExit = leader.terminate(GRACE);
        assertThat(leader.exitValue())
                .as("the leader's exit status after SIGTERM")
                .isIn(0, 143);
        assertThat(leader.log()).contains("released the Lease signet-leader");
        kube.eventually(out -> out.endsWith("-" + next.pid()), holder);
        Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
        assertThat(next.log()).contains("leading:");

        String summary = "SIGTERM to exit: follower %d ms, leader %d ms; leader's SIGTERM to the next replica "
                        .formatted(followerExit.toMillis(), leaderExit.toMillis())
                + "holding the Lease: %d ms (without a release it waits out the Lease's 15 s)%n"
                        .formatted(handover.toMillis());
        System.out.print(summary);
        Files.writeString(Path.of("target", "shutdown-summary.txt"), summary);
    }

    private static Map<String, Object> provision(OperatorProcess replica, Path root, String account) throws Exception {
        return GrpcWorkloads.provision(
                        "localhost:" + replica.grpcPort(),
                        root,
                        token(account),
                        dir.resolve("pod-" + account),
                        "shop",
                        account,
                        Clock.systemUTC(),
                        new SecureRandom())
                .bootstrap();
    }

    private static ManagedChannel channel(String name, Map<String, Object> bootstrap) {
        ManagedChannel channel = GrpcWorkloads.client("xds-k8s-" + name, "payments.shop:" + paymentsPort, bootstrap);
        cluster.closeAfter(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }
}
