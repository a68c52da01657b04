package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.agent.Agent;
import dev.signet.agent.AgentConfig;
import dev.signet.cli.demo.DemoCommand;
import dev.signet.cli.demo.GrpcWorkloads;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane and three real gRPC xDS workloads with certificates from the agent: payments serves Charge and
 * Refund; only checkout may Charge. gRPC's own xDS client and server enforce what Signet pushes.
 */
class GrpcXdsIT {

    private static final String POLICY = DemoCommand.POLICY;

    @TempDir
    Path dir;

    private ControlPlane controlPlane;
    private int paymentsPort;
    private Path mesh;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        paymentsPort = SignetProcess.freePort();
        mesh = dir.resolve("mesh");
        controlPlane = StandaloneShop.start(dir, paymentsPort);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        controlPlane.close();
    }

    /** Token, agent, certificate files and bootstrap for one workload, as a pod would have them. */
    private Map<String, Object> workload(String name) throws Exception {
        return GrpcWorkloads.provision(controlPlane, dir, "shop", name, Clock.systemUTC(), new SecureRandom())
                .bootstrap();
    }

    private ManagedChannel channel(String name) throws Exception {
        ManagedChannel channel = GrpcWorkloads.client("xds-" + name, "payments.shop:" + paymentsPort, workload(name));
        closing.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    @Test
    void only_checkout_may_charge_and_a_policy_edit_changes_that_without_restarts() throws Exception {
        Server payments = GrpcWorkloads.startPayments(paymentsPort, workload("payments"));
        closing.add(() -> payments.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        ManagedChannel checkout = channel("checkout");
        ManagedChannel other = channel("other");

        assertThat(GrpcWorkloads.call(checkout, GrpcWorkloads.CHARGE, "10 EUR")).isEqualTo("charged 10 EUR");
        assertDenied(() -> GrpcWorkloads.call(checkout, GrpcWorkloads.REFUND, "10 EUR"));
        assertDenied(() -> GrpcWorkloads.call(other, GrpcWorkloads.CHARGE, "10 EUR"));

        long edited = System.nanoTime();
        Files.writeString(
                mesh.resolve("policy.yaml"),
                POLICY.replace(
                        "principals: [\"cluster.local/ns/shop/sa/checkout\"]",
                        "principals: [\"cluster.local/ns/shop/sa/checkout\", \"cluster.local/ns/shop/sa/other\"]"));
        String answer = GrpcWorkloads.awaitOutcome(
                Status.Code.OK, () -> GrpcWorkloads.call(other, GrpcWorkloads.CHARGE, "5 EUR"));
        assertThat(answer).isEqualTo("charged 5 EUR");
        System.out.printf(
                "policy edit -> 'other' allowed after %d ms (folder poll 100 ms + debounce 100 ms + push)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - edited));
        assertDenied(() -> GrpcWorkloads.call(other, GrpcWorkloads.REFUND, "5 EUR"));
        assertThat(controlPlane.proxies().nackCount())
                .as("gRPC accepted everything it was sent")
                .isZero();
    }

    @Test
    void plaintext_and_foreign_certificates_are_refused_by_the_strict_server() throws Exception {
        Server payments = GrpcWorkloads.startPayments(paymentsPort, workload("payments"));
        closing.add(() -> payments.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));

        ManagedChannel plaintext = NettyChannelBuilder.forAddress("127.0.0.1", paymentsPort)
                .usePlaintext()
                .build();
        closing.add(() -> plaintext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        assertThatThrownBy(() -> GrpcWorkloads.call(plaintext, GrpcWorkloads.CHARGE, "x"))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

        try (ControlPlane foreign = ControlPlane.startEphemeral(dir.resolve("foreign"))) {
            Path token = dir.resolve("foreign.token");
            Files.writeString(
                    token,
                    foreign.tokenIssuer()
                            .issue(new WorkloadIdentity("shop", "checkout"), Duration.ofMinutes(5), "signet-ca"));
            Path certs = dir.resolve("foreign-certs");
            Agent.create(
                            AgentConfig.of(
                                    "localhost:" + foreign.grpcPort(),
                                    dir.resolve("foreign/root-cert.pem"),
                                    token,
                                    certs),
                            Clock.systemUTC(),
                            new SecureRandom())
                    .renewOnce();
            var credentials = io.grpc.TlsChannelCredentials.newBuilder()
                    .keyManager(
                            certs.resolve("cert-chain.pem").toFile(),
                            certs.resolve("key.pem").toFile())
                    .trustManager(dir.resolve("state/root-cert.pem").toFile())
                    .build();
            ManagedChannel impostor = io.grpc.Grpc.newChannelBuilderForAddress("localhost", paymentsPort, credentials)
                    .build();
            closing.add(() -> impostor.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
            assertThatThrownBy(() -> GrpcWorkloads.call(impostor, GrpcWorkloads.CHARGE, "x"))
                    .as("a checkout certificate from a foreign root")
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }
}
