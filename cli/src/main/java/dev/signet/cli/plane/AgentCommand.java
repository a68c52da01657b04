package dev.signet.cli.plane;

import dev.signet.agent.Agent;
import dev.signet.agent.AgentConfig;
import dev.signet.agent.AgentException;
import dev.signet.agent.IssuedCredential;
import dev.signet.agent.RunningAgent;
import dev.signet.cli.CliContext;
import dev.signet.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet agent}: keep a workload's certificate files fresh. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description =
                "Generate a key locally, get a certificate from the control plane with the workload's token, write "
                        + "cert-chain.pem, key.pem and root-cert.pem into DIR, and renew at half the lifetime.")
public final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--ca-address",
            defaultValue = "localhost:15012",
            paramLabel = "HOST:PORT",
            description = "The control plane (default: ${DEFAULT-VALUE}).")
    String caAddress;

    @Option(
            names = "--ca-root",
            required = true,
            paramLabel = "FILE",
            description = "Roots to trust the control plane with.")
    Path caRoot;

    @Option(
            names = "--token-file",
            required = true,
            paramLabel = "FILE",
            description = "The workload's token (re-read each time).")
    Path tokenFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the certificate files go.")
    Path out;

    @Option(
            names = "--ttl",
            converter = DurationConverter.class,
            description = "Requested lifetime (default: the CA's).")
    Duration ttl;

    @Option(
            names = "--workload",
            paramLabel = "NS/NAME",
            description = "Also write DIR/grpc-bootstrap.json for this workload (gRPC proxyless xDS).")
    String workload;

    @Option(
            names = "--workload-api",
            paramLabel = "unix:///PATH",
            description = "Also serve the SPIFFE Workload API (X509- and JWT-SVIDs, bundles) and Envoy SDS (default, "
                    + "ROOTCA) on this Unix socket, for go-spiffe, java-spiffe, SPIRE's CLI and Envoy.")
    String workloadApi;

    @Option(
            names = "--workload-api-mode",
            paramLabel = "MODE",
            defaultValue = "0600",
            description = "The socket's mode: 0600 (the agent's user only, the default), 0660 (and its group) or 0666 "
                    + "(anyone who can reach the folder: in a Pod, an emptyDir only that Pod mounts).")
    String workloadApiMode;

    @Option(names = "--once", description = "Get one certificate and exit.")
    boolean once;

    private final CliContext context;

    AgentCommand(CliContext context) {
        this.context = context;
    }

    /** How the control plane names this agent in a rotation's status: the workload, the pod, or the host. */
    private String workloadName() {
        if (workload != null) {
            return workload;
        }
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "";
        }
    }

    @Override
    public Integer call() throws Exception {
        AgentConfig config = AgentConfig.of(caAddress, caRoot, tokenFile, out).withTtl(ttl);
        Agent agent = Agent.create(config, context.clock(), context.random());
        if (workload != null) {
            String[] parts = workload.split("/", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new IllegalArgumentException("--workload is namespace/name, e.g. shop/payments");
            }
            Path bootstrap = dev.signet.agent.XdsBootstrap.write(
                    out.resolve(dev.signet.agent.XdsBootstrap.FILE), caAddress, parts[0], parts[1], out);
            spec.commandLine().getOut().println("wrote " + bootstrap + " (set GRPC_XDS_BOOTSTRAP to it)");
        }
        java.util.Optional<Path> socket =
                java.util.Optional.ofNullable(workloadApi).map(dev.signet.agent.workload.WorkloadApiServer::socketPath);
        java.util.Set<java.nio.file.attribute.PosixFilePermission> socketMode =
                dev.signet.agent.workload.WorkloadApiServer.mode(workloadApiMode);
        if (socket.isPresent() && once) {
            throw new IllegalArgumentException("--workload-api serves while the agent runs; it cannot go with --once");
        }
        if (!once) {
            try (dev.signet.agent.workload.WorkloadApiServer api = socket.isPresent()
                            ? dev.signet.agent.workload.WorkloadApiServer.start(
                                    socket.get(), agent, context.clock(), socketMode)
                            : null;
                    RunningAgent running = RunningAgent.start(agent, config, workloadName(), context.random())) {
                if (api != null) {
                    spec.commandLine().getOut().println("serving the SPIFFE Workload API on unix://" + api.socket());
                    spec.commandLine().getOut().flush();
                }
                running.join();
            }
            return 0;
        }
        try {
            IssuedCredential issued = agent.renewOnce();
            spec.commandLine()
                    .getOut()
                    .printf(
                            "wrote %s (%s, valid until %s) to %s%n",
                            "cert-chain.pem, key.pem, root-cert.pem", issued.spiffeId(), issued.notAfter(), out);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (AgentException e) {
            spec.commandLine().getErr().println("signet: refused (" + e.reason() + "): " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }
}
