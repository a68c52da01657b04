package dev.signet.cli.demo;

import dev.signet.cli.CliContext;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code signet demo}: starts the control plane on a folder of policies, gets certificates for payments, checkout and
 * other through the agent, runs payments as a gRPC xDS server and calls it from the others, printing each outcome;
 * then edits the policy and shows the change take effect. Exits 1 if any outcome differs from what the policy says.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        subcommands = {DemoPaymentsCommand.class, DemoCallerCommand.class},
        description =
                "Run the control plane, agents and three real gRPC xDS workloads in this process and show who may "
                        + "call whom; then edit the policy and watch it take effect without restarts.")
public final class DemoCommand implements Callable<Integer> {

    /** The demo's policy: only checkout may charge; mutual TLS everywhere. */
    public static final String POLICY = """
            # Only checkout may charge; mutual TLS everywhere.
            apiVersion: security.signet.dev/v1
            kind: AuthorizationPolicy
            metadata: {name: charge, namespace: shop}
            spec:
              selector: {matchLabels: {app: payments}}
              rules:
              - from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"]}}]
                to: [{operation: {paths: ["/payments.Payments/Charge"]}}]
            ---
            apiVersion: security.signet.dev/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: signet-system}
            spec: {mtls: {mode: STRICT}}
            """;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where to keep the demo's state and policies (default: a new temporary folder).")
    Path directory;

    private final CliContext context;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private int surprises;

    DemoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = directory != null ? Files.createDirectories(directory) : Files.createTempDirectory("signet-demo");
        Path mesh = Files.createDirectories(dir.resolve("mesh"));
        Path log = DemoLog.redirect(dir.resolve("demo.log"));
        out.println("the demo's log (control plane, agents, gRPC): " + log);
        int paymentsPort = freePort();
        Files.writeString(mesh.resolve("workloads.yaml"), workloads(paymentsPort));
        Files.writeString(mesh.resolve("policy.yaml"), POLICY);
        try (ControlPlane controlPlane = ControlPlane.start(
                ControlPlaneConfig.defaults(dir.resolve("state"))
                        .withEphemeralPorts()
                        .withStandaloneDirectory(mesh)
                        .withTiming(Duration.ofMillis(100), Duration.ofMillis(100)),
                context.clock(),
                context.random())) {
            out.printf("control plane: CA and xDS on 127.0.0.1:%d, policies in %s%n", controlPlane.grpcPort(), mesh);
            Map<String, Object> paymentsBootstrap = workload(controlPlane, dir, "payments", out);
            Map<String, Object> checkoutBootstrap = workload(controlPlane, dir, "checkout", out);
            Map<String, Object> otherBootstrap = workload(controlPlane, dir, "other", out);
            Server payments = GrpcWorkloads.startPayments(paymentsPort, paymentsBootstrap);
            closing.add(() -> payments.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
            out.printf("payments: serving payments.Payments on port %d, configured over xDS%n", paymentsPort);
            String target = "payments.shop:" + paymentsPort;
            ManagedChannel checkout = channel(GrpcWorkloads.client("xds-checkout", target, checkoutBootstrap));
            ManagedChannel other = channel(GrpcWorkloads.client("xds-other", target, otherBootstrap));
            ManagedChannel plaintext = channel(NettyChannelBuilder.forAddress("127.0.0.1", paymentsPort)
                    .usePlaintext()
                    .build());

            expect(out, "checkout -> Charge ", checkout, GrpcWorkloads.CHARGE, "OK");
            expect(out, "checkout -> Refund ", checkout, GrpcWorkloads.REFUND, "PERMISSION_DENIED");
            expect(out, "other    -> Charge ", other, GrpcWorkloads.CHARGE, "PERMISSION_DENIED");
            expect(out, "plaintext -> Charge", plaintext, GrpcWorkloads.CHARGE, "UNAVAILABLE");

            out.println("editing policy.yaml: shop/other may now Charge too");
            long edited = System.nanoTime();
            Files.writeString(
                    mesh.resolve("policy.yaml"),
                    POLICY.replace(
                            "principals: [\"cluster.local/ns/shop/sa/checkout\"]",
                            "principals: [\"cluster.local/ns/shop/sa/checkout\", \"cluster.local/ns/shop/sa/other\"]"));
            String outcome = "PERMISSION_DENIED";
            while (!outcome.equals("OK") && System.nanoTime() - edited < TimeUnit.SECONDS.toNanos(30)) {
                outcome = attempt(other, GrpcWorkloads.CHARGE);
                if (!outcome.equals("OK")) {
                    Thread.sleep(20);
                }
            }
            out.printf(
                    "other    -> Charge : %s after %d ms, no restart%n",
                    outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - edited));
            if (!outcome.equals("OK")) {
                surprises++;
            }
            expect(out, "other    -> Refund ", other, GrpcWorkloads.REFUND, "PERMISSION_DENIED");
            out.printf(
                    "proxies connected: %d, NACKs: %d%n",
                    controlPlane.proxies().proxies().size(),
                    controlPlane.proxies().nackCount());
            out.println(
                    surprises == 0
                            ? "every call went as the policies say"
                            : surprises + " call(s) did not go as the policies say");
            out.flush();
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
            if (directory == null) {
                dev.signet.ca.store.Directories.delete(dir);
            }
        }
        return surprises == 0 ? 0 : 1;
    }

    private Map<String, Object> workload(ControlPlane controlPlane, Path dir, String name, PrintWriter out)
            throws Exception {
        GrpcWorkloads.Provisioned workload =
                GrpcWorkloads.provision(controlPlane, dir, "shop", name, context.clock(), context.random());
        out.printf(
                "agent: shop/%s -> %s, valid until %s%n",
                name, workload.credential().spiffeId(), workload.credential().notAfter());
        return workload.bootstrap();
    }

    private void expect(
            PrintWriter out,
            String label,
            ManagedChannel channel,
            MethodDescriptor<String, String> method,
            String expected) {
        String outcome = attempt(channel, method);
        boolean asExpected = outcome.equals(expected);
        out.printf("%s: %s%s%n", label, outcome, asExpected ? "" : "   <-- expected " + expected);
        out.flush();
        if (!asExpected) {
            surprises++;
        }
    }

    private static String attempt(ManagedChannel channel, MethodDescriptor<String, String> method) {
        try {
            GrpcWorkloads.call(channel, method, "10 EUR");
            return "OK";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode().name();
        }
    }

    private ManagedChannel channel(ManagedChannel channel) {
        closing.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    /** The demo's three workloads; payments serves on {@code paymentsPort}. */
    public static String workloads(int paymentsPort) {
        return """
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: payments, namespace: shop, labels: {app: payments}}
                spec: {serviceAccount: payments, address: 127.0.0.1, ports: [{port: %d, protocol: GRPC}]}
                ---
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: checkout, namespace: shop, labels: {app: checkout}}
                spec: {serviceAccount: checkout}
                ---
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: other, namespace: shop, labels: {app: other}}
                spec: {serviceAccount: other}
                """.formatted(paymentsPort);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
