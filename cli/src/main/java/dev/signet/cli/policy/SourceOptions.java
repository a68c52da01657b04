package dev.signet.cli.policy;

import dev.signet.policy.select.MeshPolicies;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** Where a command reads the mesh: a folder of YAML, or what is applied to a cluster. */
public final class SourceOptions {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "PATH",
            description =
                    "A folder of policies and Workload documents (*.yaml, *.yml, read recursively), one file, or -"
                            + " for standard input; not with --cluster.")
    public Path directory;

    @Option(
            names = "--root-namespace",
            defaultValue = MeshPolicies.DEFAULT_ROOT_NAMESPACE,
            paramLabel = "NS",
            description = "Namespace whose policies apply mesh-wide (default: ${DEFAULT-VALUE}).")
    public String rootNamespace;

    @Option(
            names = "--cluster",
            description = "Read what is applied to the cluster of the kubeconfig (policies, and Pods as workloads) "
                    + "instead of a folder.")
    public boolean cluster;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "With --cluster: the kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "With --cluster: the kubeconfig context.")
    String context;

    /** Refuses a folder and a cluster both, or neither, and cluster options without the cluster. */
    public void validate(CommandLine commandLine) {
        if (cluster == (directory != null)) {
            throw new ParameterException(commandLine, "give either PATH or --cluster");
        }
        if (!cluster && (kubeconfig != null || context != null)) {
            throw new ParameterException(commandLine, "--kubeconfig and --context go with --cluster");
        }
    }

    /** The policies of the PATH given (a folder, a file, or - for standard input). */
    public dev.signet.policy.check.PolicyCheck.Loaded loadPath() throws java.io.IOException {
        return PolicyInput.load(new dev.signet.policy.check.PolicyCheck(rootNamespace), directory, System.in);
    }

    public ClusterReader connect() {
        return ClusterReader.connect(Optional.ofNullable(kubeconfig), Optional.ofNullable(context));
    }
}
