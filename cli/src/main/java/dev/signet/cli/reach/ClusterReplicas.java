package dev.signet.cli.reach;

import dev.signet.cli.Unavailable;
import dev.signet.controlplane.admin.AdminCredential;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every replica of the control plane a cluster runs: its Pods (by the chart's label), each reached through a
 * port-forward to its HTTP port, as {@code kubectl port-forward} would. The admin routes see the forwarded
 * connection arrive on the Pod's loopback, and the credential is read from the Pod's state directory, as
 * {@code kubectl exec … cat} would: so whoever may port-forward to and exec in the control plane's Pods may act as
 * its admin, and nobody else.
 */
public final class ClusterReplicas {

    public static final String DEFAULT_NAMESPACE = "signet-system";
    static final String LABEL = "app.kubernetes.io/name";
    static final String LABEL_VALUE = "signet";
    static final String CONTAINER = "signet";
    static final String PORT_NAME = "http";
    static final int DEFAULT_PORT = 15014;

    private ClusterReplicas() {}

    /**
     * What was reached: the replicas that answered a port-forward, and those that did not (each named with why).
     * Closing it ends the port-forwards and the client.
     */
    public record Reached(List<Replica> replicas, List<String> unreachable, AutoCloseable resources)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                resources.close();
            } catch (Exception e) {
                // Ending port-forwards of a command that is exiting: nothing left to tell.
            }
        }
    }

    static Reached reach(KubernetesClient client, String namespace, Path stateDirectory) {
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(client);
        AutoCloseable closeAll = () -> {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
        };
        try {
            List<Pod> pods = running(client, namespace);
            List<Replica> replicas = new ArrayList<>();
            List<String> unreachable = new ArrayList<>();
            for (Pod pod : pods) {
                String name = pod.getMetadata().getName();
                try {
                    LocalPortForward forward = client.pods()
                            .inNamespace(namespace)
                            .withName(name)
                            .portForward(httpPort(pod), InetAddress.getLoopbackAddress(), 0);
                    opened.add(forward);
                    String container = container(pod).getName();
                    String path = credentialPath(pod, stateDirectory);
                    replicas.add(new Replica(
                            name,
                            "127.0.0.1:" + forward.getLocalPort(),
                            () -> readCredential(client, namespace, name, container, path),
                            true));
                } catch (KubernetesClientException e) {
                    unreachable.add(name + ": cannot port-forward: " + KubeClients.reason(e));
                }
            }
            return new Reached(List.copyOf(replicas), List.copyOf(unreachable), closeAll);
        } catch (RuntimeException e) {
            new Reached(List.of(), List.of(), closeAll).close();
            throw e;
        }
    }

    private static List<Pod> running(KubernetesClient client, String namespace) {
        List<Pod> pods;
        try {
            pods = client.pods()
                    .inNamespace(namespace)
                    .withLabel(LABEL, LABEL_VALUE)
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            throw new Unavailable(
                    "cannot list the control plane's Pods in namespace " + namespace + " at " + client.getMasterUrl()
                            + ": " + KubeClients.reason(e),
                    e);
        }
        List<Pod> running = pods.stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(pod -> pod.getStatus() != null
                        && "Running".equals(pod.getStatus().getPhase()))
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .toList();
        if (running.isEmpty()) {
            throw new Unavailable(
                    "no control plane runs in namespace " + namespace + " at " + client.getMasterUrl() + " (no running"
                            + " Pod labelled " + LABEL + "=" + LABEL_VALUE + "; --namespace names another)",
                    null);
        }
        return running;
    }

    private static Container container(Pod pod) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(CONTAINER))
                .findFirst()
                .orElse(pod.getSpec().getContainers().get(0));
    }

    /** The container port named {@code http}, as the chart names it; else the default. */
    static int httpPort(Pod pod) {
        List<ContainerPort> ports = container(pod).getPorts();
        return ports == null
                ? DEFAULT_PORT
                : ports.stream()
                        .filter(p -> PORT_NAME.equals(p.getName()))
                        .map(ContainerPort::getContainerPort)
                        .findFirst()
                        .orElse(DEFAULT_PORT);
    }

    /** Where {@code serve} wrote its credential: the state directory, relative to the container's working directory. */
    static String credentialPath(Pod pod, Path stateDirectory) {
        String workingDir = container(pod).getWorkingDir();
        Path base = Path.of(workingDir == null || workingDir.isBlank() ? "/" : workingDir);
        return base.resolve(stateDirectory)
                .resolve(AdminCredential.FILE)
                .normalize()
                .toString();
    }

    private static String readCredential(
            KubernetesClient client, String namespace, String pod, String container, String path)
            throws AdminClient.Refused, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String where = path + " in Pod " + namespace + "/" + pod;
        try (ExecWatch exec = client.pods()
                .inNamespace(namespace)
                .withName(pod)
                .inContainer(container)
                .writingOutput(out)
                .writingError(err)
                .exec("cat", path)) {
            int code = exec.exitCode().get(30, TimeUnit.SECONDS);
            String token = out.toString(StandardCharsets.US_ASCII).strip();
            if (code != 0 || token.isEmpty()) {
                throw new AdminClient.Refused("cannot read the admin credential " + where + ": "
                        + err.toString(StandardCharsets.UTF_8).strip() + " (--state-dir names the directory)");
            }
            return token;
        } catch (KubernetesClientException e) {
            throw new AdminClient.Refused("cannot exec in " + namespace + "/" + pod + " to read the admin credential: "
                    + KubeClients.reason(e));
        } catch (ExecutionException | TimeoutException e) {
            throw new AdminClient.Refused("cannot read the admin credential " + where + ": " + e);
        }
    }
}
