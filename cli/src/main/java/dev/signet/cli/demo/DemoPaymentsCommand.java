package dev.signet.cli.demo;

import io.grpc.Server;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signet demo payments}: the demo's payments service (Charge, Refund) as a gRPC xDS server in a pod: its
 * listener, certificates and RBAC come from the control plane through the bootstrap that {@code GRPC_XDS_BOOTSTRAP}
 * names (the injected agent writes it).
 */
@Command(
        name = "payments",
        mixinStandardHelpOptions = true,
        description = "Serve the demo's payments.Payments (Charge, Refund) as a gRPC xDS server, configured by the "
                + "control plane through $GRPC_XDS_BOOTSTRAP, until stopped.")
public final class DemoPaymentsCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "The port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> bootstrap = Bootstraps.fromEnvironment();
        Server server = GrpcWorkloads.startPayments(port, bootstrap);
        System.out.println("payments: serving on port " + server.getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        server.awaitTermination();
        return 0;
    }
}
