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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Root rotation with real gRPC xDS workloads whose agents keep running: checkout calls payments all the time, over
 * one long-lived channel and over a new connection per call, while the control plane walks prepare, activate and
 * retire on what it observes. Not one call may fail, and at the end nothing in use leads to the old root.
 */
class RotationEndToEndTest {

    /** gRPC re-reads the agent's files this often here; the settle time covers it, as 15 s covers 10 s by default. */
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final RotationSettings FAST = new RotationSettings(Duration.ofSeconds(2), Duration.ofMillis(200),
            200, Duration.ofMillis(500));

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
        controlPlane = ControlPlane.start(ControlPlaneConfig.defaults(dir.resolve("state"))
                .withEphemeralPorts().withStandaloneDirectory(mesh)
                .withTiming(Duration.ofMillis(100), Duration.ofMillis(100)).withRotation(FAST),
                Clock.systemUTC(), new SecureRandom());
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
        GrpcWorkloads.Running running = GrpcWorkloads.run(controlPlane, dir, "shop", name, REFRESH, Clock.systemUTC(),
                new SecureRandom());
        closing.add(running);
        return running;
    }

    private Traffic traffic() throws InterruptedException {
        int[] channels = {0};
        Traffic traffic = Traffic.start(() -> GrpcWorkloads.client("xds-checkout-" + channels[0]++,
                "payments.shop:" + paymentsPort, checkout.bootstrap()));
        closing.add(traffic);
        traffic.awaitMore(5);
        return traffic;
    }

    private RotationController rotation() {
        return controlPlane.rotation().orElseThrow();
    }

    /** Waits until the status satisfies {@code wanted}, printing each phase as it is entered. */
    private RotationStatus await(String what, Predicate<RotationStatus> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        RotationStatus status = rotation().status();
        while (!wanted.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 90 s for " + what + "; status: " + status);
            }
            Thread.sleep(50);
            status = rotation().status();
        }
        return status;
    }

    private static Predicate<RotationStatus> in(RotationPhase phase) {
        return status -> status.phase().equals(java.util.Optional.of(phase));
    }

    private String rootFingerprint() throws Exception {
        return Fingerprints.sha256(Pem.certificates(Files.readString(dir.resolve("state/ca/root-cert.pem"))).get(0));
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
        System.out.printf("full rotation in %d ms under traffic: %s; phases entered %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), traffic.summary(), complete.enteredAt());

        assertThat(traffic.failures()).as("failed calls").isEmpty();
        assertThat(complete.bundleVersion()).as("{R1,R2} then {R2}").isEqualTo(3);
        assertThat(rootFingerprint()).as("the CA in the state directory").isEqualTo(r2);
        assertThat(Files.exists(dir.resolve("state/rotation/next"))).isFalse();
        assertThat(controlPlane.ca().inventory().liveLeaves(r1, java.time.Instant.now())).isZero();
        for (Path certs : List.of(payments.certificates(), checkout.certificates(), dir.resolve("state"))) {
            assertThat(fingerprints(certs.resolve("root-cert.pem"))).as(certs + "/root-cert.pem").containsExactly(r2);
        }
        for (GrpcWorkloads.Running workload : List.of(payments, checkout)) {
            Path certs = workload.certificates();
            Openssl.ok(certs, "verify", "-CAfile", "root-cert.pem", "-untrusted", "cert-chain.pem", "cert-chain.pem");
            assertThat(Openssl.run(certs, "verify", "-CAfile", r1Pem.toString(), "-untrusted", "cert-chain.pem",
                    "cert-chain.pem").ok()).as(certs + ": no chain, cross-signed or not, leads to the old root").isFalse();
        }
    }

    private static List<String> fingerprints(Path pem) throws Exception {
        return Pem.certificates(Files.readString(pem, StandardCharsets.US_ASCII)).stream().map(Fingerprints::sha256).toList();
    }
}
