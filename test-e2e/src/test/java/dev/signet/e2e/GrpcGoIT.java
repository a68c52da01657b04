package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.cli.demo.DemoCommand;
import dev.signet.cli.demo.GrpcWorkloads;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationPhase;
import dev.signet.controlplane.rotation.RotationRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC-Go's own xDS client and server (built by the test from {@code google.golang.org/grpc}, {@code
 * src/test/go/grpcpeer}) with bootstraps from the agent, as a Go user writes them: the server bound to {@code :PORT},
 * the client dialling {@code xds:///payments.shop:PORT}. They accept what Signet sends (no NACK), enforce its policy,
 * and talk to gRPC-Java workloads under the same policy, both ways.
 */
class GrpcGoIT {

    private static Path peer;

    @TempDir
    Path dir;

    private ControlPlane controlPlane;
    private int paymentsPort;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void build() throws Exception {
        peer = GoPrograms.build("grpcpeer");
    }

    @BeforeEach
    void start() throws Exception {
        paymentsPort = SignetProcess.freePort();
        controlPlane = StandaloneShop.start(dir, paymentsPort);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        controlPlane.close();
    }

    @Test
    void a_go_server_bound_to_any_address_serves_go_and_java_clients_under_the_policy() throws Exception {
        startGoServer();

        assertThat(goCall("checkout", "Charge")).isEqualTo("OK charged 1 EUR");
        assertThat(goCall("checkout", "Refund")).startsWith("PermissionDenied");
        assertThat(goCall("other", "Charge")).startsWith("PermissionDenied");

        ManagedChannel checkout = javaClient("checkout");
        assertThat(GrpcWorkloads.call(checkout, GrpcWorkloads.CHARGE, "2 EUR")).isEqualTo("charged 2 EUR");
        ManagedChannel other = javaClient("other");
        assertThat(refusal(() -> GrpcWorkloads.call(other, GrpcWorkloads.CHARGE, "3 EUR")))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        // Without a certificate, no call reaches it.
        ManagedChannel plaintext = NettyChannelBuilder.forAddress("127.0.0.1", paymentsPort)
                .usePlaintext()
                .build();
        closing.add(() -> plaintext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        assertThat(refusal(() -> GrpcWorkloads.call(plaintext, GrpcWorkloads.CHARGE, "4 EUR")))
                .isEqualTo(Status.Code.UNAVAILABLE);

        // A policy edit reaches the running Go server: other may now charge.
        Files.writeString(
                dir.resolve("mesh/policy.yaml"),
                DemoCommand.POLICY.replace(
                        "principals: [\"cluster.local/ns/shop/sa/checkout\"]",
                        "principals: [\"cluster.local/ns/shop/sa/checkout\", \"cluster.local/ns/shop/sa/other\"]"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String answer;
        while (!(answer = goCall("other", "Charge")).startsWith("OK")) {
            assertThat(answer).startsWith("PermissionDenied");
            assertThat(System.nanoTime())
                    .as("the edit never reached the Go server")
                    .isLessThan(deadline);
        }
        assertThat(controlPlane.proxies().nackCount()).as("NACKs from gRPC-Go").isZero();
    }

    @Test
    void a_go_client_calls_a_java_server_under_the_policy() throws Exception {
        Server payments = GrpcWorkloads.startPayments(paymentsPort, bootstrap("payments"));
        closing.add(() -> payments.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));

        assertThat(goCall("checkout", "Charge")).isEqualTo("OK charged 1 EUR");
        assertThat(goCall("other", "Charge")).startsWith("PermissionDenied");
        assertThat(controlPlane.proxies().nackCount()).as("NACKs from gRPC-Go").isZero();
    }

    @Test
    void go_calls_keep_working_through_a_root_rotation_with_running_agents() throws Exception {
        GrpcWorkloads.Running payments = running("payments");
        GrpcWorkloads.Running checkout = running("checkout");
        startGoServer(write("payments-running", payments.bootstrap()));
        Path stop = dir.resolve("stop-loop");
        Path log = dir.resolve("go-loop.log");
        ProcessBuilder builder = new ProcessBuilder(
                        peer.toString(), "loop", "payments.shop:" + paymentsPort, "Charge", "100", stop.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment()
                .put(
                        "GRPC_XDS_BOOTSTRAP",
                        write("checkout-running", checkout.bootstrap()).toString());
        Process loop = builder.start();
        closing.add(() -> {
            loop.destroy();
            loop.waitFor(10, TimeUnit.SECONDS);
        });
        Thread.sleep(2000);

        controlPlane.rotation().start(RotationRequest.generated(RotationMode.AUTOMATIC));
        org.awaitility.Awaitility.await("the rotation to complete")
                .atMost(java.time.Duration.ofMinutes(2))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> controlPlane.rotation().status().phase().orElseThrow() == RotationPhase.COMPLETE);
        // Calls go on under the new root alone.
        Thread.sleep(3000);
        Files.writeString(stop, "");
        assertThat(loop.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        String summary = out.lines().reduce((a, b) -> b).orElse("");
        assertThat(summary).as(out).matches("ok [1-9][0-9]+ failed 0");
        assertThat(controlPlane.proxies().nackCount()).as("NACKs from gRPC-Go").isZero();
    }

    private GrpcWorkloads.Running running(String workload) throws Exception {
        GrpcWorkloads.Running running = GrpcWorkloads.run(
                controlPlane,
                Files.createDirectories(dir.resolve("running")),
                "shop",
                workload,
                java.time.Duration.ofSeconds(1),
                Clock.systemUTC(),
                new SecureRandom());
        closing.add(running);
        return running;
    }

    private Path write(String name, Map<String, Object> bootstrap) throws Exception {
        return Files.writeString(
                dir.resolve(name + "-bootstrap.json"), new ObjectMapper().writeValueAsString(bootstrap));
    }

    /** Starts the Go server with payments' bootstrap and waits until its listener came from the control plane. */
    private void startGoServer() throws Exception {
        startGoServer(bootstrapFile("payments"));
    }

    private void startGoServer(Path bootstrap) throws Exception {
        Path log = dir.resolve("go-payments.log");
        ProcessBuilder builder = new ProcessBuilder(peer.toString(), "serve", String.valueOf(paymentsPort))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("GRPC_XDS_BOOTSTRAP", bootstrap.toString());
        Process server = builder.start();
        closing.add(() -> {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains("serving mode SERVING")) {
            assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(System.nanoTime())
                    .as("the Go server never served: " + Files.readString(log))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private Path bootstrapFile(String workload) throws Exception {
        Path file = dir.resolve(workload + "-bootstrap.json");
        if (!Files.exists(file)) {
            Files.writeString(file, new ObjectMapper().writeValueAsString(bootstrap(workload)));
        }
        return file;
    }

    private final Map<String, Map<String, Object>> bootstraps = new java.util.HashMap<>();

    private Map<String, Object> bootstrap(String workload) throws Exception {
        Map<String, Object> known = bootstraps.get(workload);
        if (known == null) {
            known = GrpcWorkloads.provision(controlPlane, dir, "shop", workload, Clock.systemUTC(), new SecureRandom())
                    .bootstrap();
            bootstraps.put(workload, known);
        }
        return known;
    }

    /** One call by the Go client as {@code workload}: "OK answer", or the status code's name and message. */
    private String goCall(String workload, String method) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        peer.toString(), "call", "payments.shop:" + paymentsPort, method, "1 EUR")
                .redirectErrorStream(true);
        builder.environment().put("GRPC_XDS_BOOTSTRAP", bootstrapFile(workload).toString());
        Process call = builder.start();
        String out = new String(call.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(call.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(call.exitValue()).as(out).isZero();
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    private ManagedChannel javaClient(String workload) throws Exception {
        ManagedChannel channel =
                GrpcWorkloads.client("xds-go-" + workload, "payments.shop:" + paymentsPort, bootstrap(workload));
        closing.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    private static Status.Code refusal(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
