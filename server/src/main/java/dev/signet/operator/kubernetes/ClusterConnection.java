package dev.signet.operator.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a cluster is configured, and a client for it: an explicit kubeconfig, else {@code $KUBECONFIG}, else
 * {@code ~/.kube/config}, else the in-cluster service account. None of these means standalone.
 */
public final class ClusterConnection {

    static final Path IN_CLUSTER_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private final Optional<Path> kubeconfig;
    private final boolean inCluster;

    private ClusterConnection(Optional<Path> kubeconfig, boolean inCluster) {
        this.kubeconfig = kubeconfig;
        this.inCluster = inCluster;
    }

    /** What this process can reach, from the explicit option, the environment and the home directory. */
    public static Optional<ClusterConnection> detect(
            Optional<Path> explicit, Map<String, String> environment, Path home) {
        if (explicit.isPresent()) {
            if (!Files.isReadable(explicit.get())) {
                throw new IllegalArgumentException("cannot read the kubeconfig " + explicit.get());
            }
            return Optional.of(new ClusterConnection(explicit, false));
        }
        String fromEnvironment = environment.get("KUBECONFIG");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            Path first = Path.of(fromEnvironment.split(java.io.File.pathSeparator)[0]);
            if (Files.isReadable(first)) {
                return Optional.of(new ClusterConnection(Optional.of(first), false));
            }
        }
        Path inHome = home.resolve(".kube").resolve("config");
        if (Files.isReadable(inHome)) {
            return Optional.of(new ClusterConnection(Optional.of(inHome), false));
        }
        if (environment.containsKey("KUBERNETES_SERVICE_HOST") && Files.isReadable(IN_CLUSTER_TOKEN)) {
            return Optional.of(new ClusterConnection(Optional.empty(), true));
        }
        return Optional.empty();
    }

    public KubernetesClient client() {
        Config config;
        if (kubeconfig.isPresent()) {
            try {
                config = Config.fromKubeconfig(
                        null,
                        Files.readString(kubeconfig.get()),
                        kubeconfig.get().toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the kubeconfig " + kubeconfig.get(), e);
            }
        } else {
            config = Config.autoConfigure(null);
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public String toString() {
        return inCluster ? "in-cluster service account" : "kubeconfig " + kubeconfig.orElseThrow();
    }
}
