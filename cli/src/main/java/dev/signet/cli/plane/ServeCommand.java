package dev.signet.cli.plane;

import dev.signet.cli.CliContext;
import dev.signet.operator.ControlPlane;
import dev.signet.operator.ControlPlaneConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet serve}: the control plane, standalone (no cluster needed). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the control plane standalone: the CA and the xDS server on one TLS gRPC port (default 15012), "
                + "with its CA and token key in the state directory (created on first start, reused after).")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--standalone", paramLabel = "DIR",
            description = "Serve the policies and Workload documents in DIR over xDS, reloading on change.")
    Path standalone;

    @Option(names = "--state-dir", defaultValue = ".signet", paramLabel = "DIR",
            description = "CA material, token key and root-cert.pem (default: ${DEFAULT-VALUE}).")
    Path stateDirectory;

    @Option(names = "--address", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--grpc-port", defaultValue = "15012", description = "TLS gRPC port (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--http-port", defaultValue = "15014",
            description = "Health, metrics and proxy status, on the same address (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--trust-domain", defaultValue = "cluster.local", description = "Trust domain (default: ${DEFAULT-VALUE}).")
    String trustDomain;

    private final CliContext context;

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        ControlPlaneConfig config = ControlPlaneConfig.defaults(stateDirectory)
                .withGrpcAddress(new InetSocketAddress(address, grpcPort))
                .withHttpAddress(new InetSocketAddress(address, httpPort))
                .withTrustDomain(trustDomain);
        if (standalone != null) {
            if (!java.nio.file.Files.isDirectory(standalone)) {
                throw new java.nio.file.NoSuchFileException(standalone.toString(), null, "not a directory");
            }
            config = config.withStandaloneDirectory(standalone);
        }
        ControlPlane controlPlane = ControlPlane.start(config, context.clock(), context.random());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                controlPlane.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("signet control plane for %s: CA and xDS on %s:%d (TLS, identity %s)%n", trustDomain, address,
                controlPlane.grpcPort(), controlPlane.identity());
        out.printf("policies and workloads: %s%n", standalone == null ? "none (pass --standalone DIR)"
                : standalone + " (reloaded on change; an invalid edit keeps the last good configuration)");
        out.printf("health, metrics, proxy status: http://%s:%d/readyz, /metrics, /debug/proxies%n", address, controlPlane.httpPort());
        out.printf("trust bundle (give it to agents as --ca-root): %s%n", stateDirectory.resolve("root-cert.pem"));
        out.printf("a workload token: bin/signet token --state-dir %s --namespace NS --service-account SA%n", stateDirectory);
        out.println("ready");
        out.flush();
        stopped.await();
        return 0;
    }
}
