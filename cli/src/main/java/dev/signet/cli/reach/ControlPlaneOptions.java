package dev.signet.cli.reach;

import dev.signet.controlplane.admin.AdminCredential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Which control plane a command talks to: the one on this host ({@code --address}, {@code --state-dir}), or, with
 * {@code --cluster}, every replica the kubeconfig's cluster runs.
 */
public final class ControlPlaneOptions {

    @Option(
            names = "--address",
            defaultValue = "127.0.0.1:15014",
            paramLabel = "HOST:PORT",
            scope = CommandLine.ScopeType.INHERIT,
            description = "The control plane's HTTP port, on this host (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(
            names = "--state-dir",
            defaultValue = ".signet",
            paramLabel = "DIR",
            scope = CommandLine.ScopeType.INHERIT,
            description = "The control plane's state directory, whose admin credential the call presents; run as the "
                    + "user that runs 'signet serve'. With --cluster: the directory in the Pod, relative to its "
                    + "working directory (default: ${DEFAULT-VALUE}).")
    Path stateDirectory;

    @Option(
            names = "--cluster",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Talk to the control plane of the kubeconfig's cluster instead of the one on this host.")
    boolean cluster;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            scope = CommandLine.ScopeType.INHERIT,
            description = "With --cluster: the kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
    Path kubeconfig;

    @Option(
            names = "--context",
            paramLabel = "NAME",
            scope = CommandLine.ScopeType.INHERIT,
            description = "With --cluster: the kubeconfig context.")
    String context;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = ClusterReplicas.DEFAULT_NAMESPACE,
            paramLabel = "NS",
            scope = CommandLine.ScopeType.INHERIT,
            description = "With --cluster: the control plane's namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    /** Refuses cluster options without {@code --cluster}. */
    public void validate(CommandLine commandLine) {
        boolean namespaceGiven = commandLine.getParseResult().hasMatchedOption("--namespace");
        if (!cluster && (kubeconfig != null || context != null || namespaceGiven)) {
            throw new ParameterException(commandLine, "--kubeconfig, --context and --namespace go with --cluster");
        }
    }

    public boolean cluster() {
        return cluster;
    }

    public String namespace() {
        return namespace;
    }

    /** The local control plane's address, as given. */
    public String address() {
        return address;
    }

    /** A client for the cluster of {@code --kubeconfig} and {@code --context}. */
    public io.fabric8.kubernetes.client.KubernetesClient kubernetes() {
        return KubeClients.connect(Optional.ofNullable(kubeconfig), Optional.ofNullable(context));
    }

    /** The replicas to ask: every one of the cluster's, or the one on this host. Close it to end port-forwards. */
    public ClusterReplicas.Reached reach() {
        if (cluster) {
            return ClusterReplicas.reach(kubernetes(), namespace, stateDirectory);
        }
        Replica local = new Replica(address, address, this::localCredential, false);
        return new ClusterReplicas.Reached(List.of(local), List.of(), () -> {});
    }

    private String localCredential() throws AdminClient.Refused {
        try {
            return AdminCredential.read(stateDirectory);
        } catch (IOException e) {
            throw new AdminClient.Refused(e.getMessage());
        }
    }
}
