package dev.signet.cli.reach;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A Kubernetes client for a command line: the user's kubeconfig and context, failing fast rather than patiently. */
public final class KubeClients {

    private KubeClients() {}

    /** A client for {@code kubeconfig} (else {@code $KUBECONFIG}, {@code ~/.kube/config}, in-cluster). */
    public static KubernetesClient connect(Optional<Path> kubeconfig, Optional<String> context) {
        Config config;
        if (kubeconfig.isPresent()) {
            try {
                config = Config.fromKubeconfig(
                        context.orElse(null),
                        Files.readString(kubeconfig.get()),
                        kubeconfig.get().toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the kubeconfig " + kubeconfig.get(), e);
            }
        } else {
            config = Config.autoConfigure(context.orElse(null));
        }
        // A command line fails fast: one retry, not the operator's patient backoff.
        config.setRequestRetryBackoffLimit(1);
        config.setConnectionTimeout(10_000);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Why a call failed, in one line: the HTTP status and the API server's message, or the innermost cause. */
    public static String reason(KubernetesClientException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (e.getCode() == 0) {
            return root.toString();
        }
        return e.getCode() + " "
                + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
    }
}
