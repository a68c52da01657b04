package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.testing.Openssl;
import dev.signet.cli.demo.DemoCommand;
import dev.signet.cli.demo.GrpcWorkloads;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.rotation.RotationController;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationPhase;
import dev.signet.controlplane.rotation.RotationRequest;
import dev.signet.controlplane.rotation.RotationSettings;
import dev.signet.controlplane.rotation.RotationStatus;
import io.grpc.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Root rotation with real gRPC xDS workloads whose agents keep running: checkout calls payments all the time, over
 * one long-lived channel and over a new connection per call, while the control plane walks prepare, activate and
 * retire on what it observes. Not one call may fail, and at the end nothing in use leads to the old root.
 */
class RotationIT {

    /** gRPC re-reads the agent's files this often here; the settle time covers it, as 15 s covers 10 s by default. */
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private static final RotationSettings FAST =
            new RotationSettings(Duration.ofSeconds(2), Duration.ofMillis(200), 200, Duration.ofMillis(500));

    @TempDir
    Path dir;

    private ControlPlane controlPlane;
    private int paymentsPort;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private GrpcWorkloads.Running payments;
    private GrpcWorkloads.Running checkout;

    @BeforeEach
    void start() throws Exception {
        paymentsPort = SignetProcess.freePort();
        Path mesh = dir.resolve("mesh");
        Files.createDirectories(mesh);
        Files.writeString(mesh.resolve("workloads.yaml"), DemoCommand.workloads(paymentsPort));
        Files.writeString(mesh.resolve("policy.yaml"), DemoCommand.POLICY);
        controlPlane = ControlPlane.start(
                ControlPlaneConfig.defaults(dir.resolve("state"))
                        .withEphemeralPorts()
                        .withStandaloneDirectory(mesh)
                        .withTiming(Duration.ofMillis(100), Duration.ofMillis(100))
                        .withRotation(FAST),
                Clock.systemUTC(),
                new SecureRandom());
        payments = run("payments");
        checkout = run("checkout");
        Server server = GrpcWorkloads.startPayments(paymentsPort, payments.bootstrap());
        closing.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        controlPlane.close();
    }

    private GrpcWorkloads.Running run(String name) throws Exception {
        GrpcWorkloads.Running running =
                GrpcWorkloads.run(controlPlane, dir, "shop", name, REFRESH, Clock.systemUTC(), new SecureRandom());
        closing.add(running);
        return running;
    }

    private Traffic traffic() throws InterruptedException {
        int[] channels = {0};
        Traffic traffic = Traffic.start(() -> GrpcWorkloads.client(
                "xds-checkout-" + channels[0]++, "payments.shop:" + paymentsPort, checkout.bootstrap()));
        closing.add(traffic);
        traffic.awaitMore(5);
        return traffic;
    }

    private RotationController rotation() {
        return controlPlane.rotation();
    }

    /** Waits until the status satisfies {@code wanted}, printing each phase as it is entered. */
    private RotationStatus await(String what, Predicate<RotationStatus> wanted) {
        return Awaitility.await(what)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> rotation().status(), wanted::test);
    }

    private static Predicate<RotationStatus> in(RotationPhase phase) {
        return status -> status.phase().equals(java.util.Optional.of(phase));
    }

    private String rootFingerprint() throws Exception {
        return Fingerprints.sha256(Pem.certificates(Files.readString(dir.resolve("state/ca/root-cert.pem")))
                .get(0));
    }

    @Test
    void a_full_rotation_under_traffic_fails_no_call_and_leaves_nothing_leading_to_the_old_root() throws Exception {
        String r1 = rootFingerprint();
        Path r1Pem = Files.copy(dir.resolve("state/ca/root-cert.pem"), dir.resolve("r1.pem"));
        Traffic traffic = traffic();

        long started = System.nanoTime();
        RotationStatus prepare = rotation().start(RotationRequest.generated(RotationMode.AUTOMATIC));
        assertThat(prepare.phase()).contains(RotationPhase.PREPARE);
        assertThat(prepare.bundleVersion()).isEqualTo(2);
        String r2 = prepare.rotation().orElseThrow().toRoot();

        await("activate", in(RotationPhase.ACTIVATE));
        traffic.awaitMore(5);
        await("retire", in(RotationPhase.RETIRE));
        traffic.awaitMore(5);
        RotationStatus complete = await("complete", in(RotationPhase.COMPLETE));
        traffic.awaitMore(10);
        traffic.close();
        System.out.printf(
                "full rotation in %d ms under traffic: %s; phases entered %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), traffic.summary(), complete.enteredAt());

        assertThat(traffic.failures()).as("failed calls").isEmpty();
        assertThat(complete.bundleVersion()).as("{R1,R2} then {R2}").isEqualTo(3);
        assertThat(rootFingerprint()).as("the CA in the state directory").isEqualTo(r2);
        assertThat(Files.exists(dir.resolve("state/rotation/next"))).isFalse();
        assertThat(controlPlane
                        .ca()
                        .leaves()
                        .inUseUnder(r1, java.time.Instant.now(), 0)
                        .total())
                .isZero();
        for (Path certs : List.of(payments.certificates(), checkout.certificates(), dir.resolve("state"))) {
            assertThat(fingerprints(certs.resolve("root-cert.pem")))
                    .as(certs + "/root-cert.pem")
                    .containsExactly(r2);
        }
        for (GrpcWorkloads.Running workload : List.of(payments, checkout)) {
            Path certs = workload.certificates();
            Openssl.ok(certs, "verify", "-CAfile", "root-cert.pem", "-untrusted", "cert-chain.pem", "cert-chain.pem");
            assertThat(Openssl.run(
                                    certs,
                                    "verify",
                                    "-CAfile",
                                    r1Pem.toString(),
                                    "-untrusted",
                                    "cert-chain.pem",
                                    "cert-chain.pem")
                            .ok())
                    .as(certs + ": no chain, cross-signed or not, leads to the old root")
                    .isFalse();
        }
    }

    @Test
    void an_issuer_rotation_under_the_same_root_fails_no_call_while_both_issuers_leaves_are_in_use() throws Exception {
        String root = rootFingerprint();
        String oldIssuer = issuer(payments.certificates());
        Traffic traffic = traffic();

        var next = rotation().rotateIssuer(dev.signet.ca.crypto.KeyType.EC_P256, Duration.ofDays(30));
        Path stored = dir.resolve("state/ca/ca-cert.pem");
        assertThat(Pem.certificates(Files.readString(stored)).get(0))
                .as("stored as the CA")
                .isEqualTo(next.certificate());
        String newIssuer = Openssl.ok(dir, "x509", "-in", stored.toString(), "-noout", "-subject")
                .trim()
                .replaceFirst("^subject", "issuer");
        assertThat(newIssuer).isNotEqualTo(oldIssuer);
        assertThat(controlPlane.trustBundle().version()).as("no bundle phase").isEqualTo(1);
        // Checkout renews as it would at half its lifetime; payments keeps its leaf from the old issuer.
        int asked = controlPlane
                .trustWatchers()
                .requestRenewal(
                        controlPlane.trustBundle(),
                        Duration.ofMillis(100),
                        new SecureRandom(),
                        identity -> identity.serviceAccount().equals("checkout"));
        assertThat(asked).isEqualTo(1);
        Awaitility.await("checkout's leaf from the new issuer")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !issuer(checkout.certificates()).equals(oldIssuer));
        traffic.awaitMore(20);
        // Past gRPC's refresh of the files: every new connection now presents the new issuer's leaf.
        Thread.sleep(REFRESH.multipliedBy(2).toMillis());
        traffic.awaitMore(20);
        traffic.close();

        assertThat(traffic.failures()).as("failed calls").isEmpty();
        assertThat(issuer(checkout.certificates())).isEqualTo(newIssuer);
        assertThat(issuer(payments.certificates())).isEqualTo(oldIssuer);
        assertThat(rootFingerprint()).as("the root is unchanged").isEqualTo(root);
        for (GrpcWorkloads.Running workload : List.of(payments, checkout)) {
            Openssl.ok(
                    workload.certificates(),
                    "verify",
                    "-CAfile",
                    "root-cert.pem",
                    "-untrusted",
                    "cert-chain.pem",
                    "cert-chain.pem");
        }
    }

    /** The leaf's issuer as openssl prints it. */
    private String issuer(Path certificates) {
        return Openssl.ok(
                        dir,
                        "x509",
                        "-in",
                        certificates.resolve("cert-chain.pem").toString(),
                        "-noout",
                        "-issuer")
                .trim();
    }

    @ParameterizedTest(name = "rollback from {0}")
    @EnumSource(
            value = RotationPhase.class,
            names = {"PREPARE", "ACTIVATE", "RETIRE"})
    void a_rollback_from_each_phase_under_traffic_fails_no_call_and_ends_on_the_old_root(RotationPhase from)
            throws Exception {
        String r1 = rootFingerprint();
        Traffic traffic = traffic();
        RotationStatus status = rotation()
                .start(new RotationRequest(
                        RotationMode.MANUAL,
                        java.util.Optional.empty(),
                        dev.signet.ca.crypto.KeyType.EC_P256,
                        Duration.ofDays(365),
                        false));
        String r2 = status.rotation().orElseThrow().toRoot();
        while (status.phase().orElseThrow() != from) {
            RotationPhase next = status.phase().orElseThrow().next();
            rotation().advance();
            status = await(next.name(), in(next));
            traffic.awaitMore(5);
        }
        RotationStatus back = rotation().rollBack();
        assertThat(back.rotation().orElseThrow().rollback()).isTrue();
        assertThat(back.rotation().orElseThrow().toRoot()).isEqualTo(r1);
        System.out.printf(
                "rolled back from %s: re-entered at %s with bundle v%d%n",
                from, back.phase().orElseThrow(), back.bundleVersion());
        status = back;
        while (status.phase().orElseThrow() != RotationPhase.COMPLETE) {
            RotationPhase next = status.phase().orElseThrow().next();
            rotation().advance();
            status = await(next.name(), in(next));
            traffic.awaitMore(5);
        }
        traffic.awaitMore(10);
        traffic.close();
        System.out.printf("rollback from %s complete under traffic: %s%n", from, traffic.summary());

        assertThat(traffic.failures()).as("failed calls").isEmpty();
        assertThat(rootFingerprint()).isEqualTo(r1);
        assertThat(Files.exists(dir.resolve("state/rotation/next")))
                .as("the new root's keys are destroyed")
                .isFalse();
        assertThat(controlPlane
                        .ca()
                        .leaves()
                        .inUseUnder(r2, java.time.Instant.now(), 10)
                        .total())
                .isZero();
        for (Path certs : List.of(payments.certificates(), checkout.certificates(), dir.resolve("state"))) {
            assertThat(fingerprints(certs.resolve("root-cert.pem")))
                    .as(certs + "/root-cert.pem")
                    .containsExactly(r1);
        }
        for (GrpcWorkloads.Running workload : List.of(payments, checkout)) {
            Openssl.ok(
                    workload.certificates(),
                    "verify",
                    "-CAfile",
                    "root-cert.pem",
                    "-untrusted",
                    "cert-chain.pem",
                    "cert-chain.pem");
        }
    }

    @Test
    void a_stopped_agent_holds_the_rotation_by_name_until_it_returns_and_a_forced_gate_stays_on_record()
            throws Exception {
        GrpcWorkloads.Running other = run("other");
        other.close();
        Traffic traffic = traffic();

        rotation().start(RotationRequest.generated(RotationMode.AUTOMATIC));
        RotationStatus held = await(
                "the ACTIVATE gate naming the stopped agent",
                in(RotationPhase.ACTIVATE).and(s -> s.oldRootLeavesInUse() == 1));
        Thread.sleep(FAST.settle().multipliedBy(2).toMillis());
        held = rotation().status();
        assertThat(held.phase()).contains(RotationPhase.ACTIVATE);
        assertThat(held.gateOpen()).isFalse();
        assertThat(held.gate()).isEqualTo("1 leaves in use under the old root");
        assertThat(held.laggards())
                .singleElement()
                .asString()
                .startsWith("spiffe://cluster.local/ns/shop/sa/other (serial ");

        GrpcWorkloads.Running back = run("other");
        RotationStatus complete = await("complete once the agent is back", in(RotationPhase.COMPLETE));
        assertThat(complete.forced()).isEmpty();

        back.close();
        rotation().start(RotationRequest.generated(RotationMode.AUTOMATIC));
        await(
                "the next rotation held by the stopped agent",
                in(RotationPhase.ACTIVATE).and(s -> s.oldRootLeavesInUse() == 1));
        assertThatRefused(() -> rotation().force(" "), "forcing a gate needs a reason");
        RotationStatus forcing = rotation().force("node pool drained for good");
        assertThat(forcing.phase()).as("still waits the settle time").contains(RotationPhase.ACTIVATE);
        RotationStatus forced = await("the forced gate to pass", in(RotationPhase.RETIRE));
        assertThat(forced.forced()).singleElement().satisfies(gate -> {
            assertThat(gate.phase()).isEqualTo(RotationPhase.ACTIVATE);
            assertThat(gate.reason()).isEqualTo("node pool drained for good");
        });
        complete = await("complete after the forced gate", in(RotationPhase.COMPLETE));
        assertThat(complete.forced()).as("still on record at the end").hasSize(1);
        assertThat(Files.readString(dir.resolve("state/rotation/state.json"))).contains("node pool drained for good");
        traffic.awaitMore(10);
        traffic.close();
        assertThat(traffic.failures()).as("failed calls").isEmpty();
    }

    private static void assertThatRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call)
                .isInstanceOf(dev.signet.controlplane.rotation.RotationRefused.class)
                .hasMessageContaining(message);
    }

    private static List<String> fingerprints(Path pem) throws Exception {
        return Pem.certificates(Files.readString(pem, StandardCharsets.US_ASCII)).stream()
                .map(Fingerprints::sha256)
                .toList();
    }
}
