package dev.signet.cli.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.signet.cli.Unavailable;
import dev.signet.cli.reach.KubeClients;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.LoadedResource;
import dev.signet.policy.load.Location;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.model.ObjectMeta;
import dev.signet.policy.model.PodWorkloads;
import dev.signet.policy.validate.PolicyValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What is applied to a cluster, read once through the user's kubeconfig: Signet's policies (as the YAML the offline
 * check reads, so that both report alike), the Pods as workloads, and the service accounts that exist.
 */
public final class ClusterReader implements AutoCloseable {

    /** Where findings about the cluster's objects are placed; each also names its resource. */
    static final String LOCATION = "<cluster>";

    private static final String API_VERSION = "security.signet.dev/v1";
    private static final List<String> KINDS = List.of("AuthorizationPolicy", "PeerAuthentication");
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final KubernetesClient client;

    private ClusterReader(KubernetesClient client) {
        this.client = client;
    }

    /** A reader for {@code kubeconfig} (else {@code $KUBECONFIG}, {@code ~/.kube/config}, in-cluster). */
    public static ClusterReader connect(Optional<Path> kubeconfig, Optional<String> context) {
        return new ClusterReader(KubeClients.connect(kubeconfig, context));
    }

    public String server() {
        return client.getMasterUrl().toString();
    }

    /** The policies of every namespace, validated as the offline check does, and the Pods as workloads. */
    public LoadResult load(PolicyValidator validator) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (String kind : KINDS) {
            for (GenericKubernetesResource object : list(kind)) {
                documents.add(document(object));
            }
        }
        LoadResult policies = new ResourceLoader(validator).loadText(LOCATION, yaml(documents));
        List<LoadedResource> resources = new ArrayList<>(policies.resources().stream()
                .map(loaded -> new LoadedResource(
                        loaded.resource(),
                        new Location(LOCATION, loaded.location().document(), 0),
                        loaded.sequence()))
                .toList());
        long sequence = documents.size();
        for (Pod pod : call("Pods", () -> client.pods().inAnyNamespace().list().getItems())) {
            long at = sequence++;
            PodWorkloads.of(pod(pod))
                    .ifPresent(
                            workload -> resources.add(new LoadedResource(workload, new Location(LOCATION, 0, 0), at)));
        }
        return new LoadResult(
                resources,
                policies.diagnostics().stream()
                        .map(d -> new dev.signet.policy.load.Diagnostic(
                                d.severity(),
                                new Location(LOCATION, d.location().document(), 0),
                                d.resource(),
                                d.field(),
                                d.message()))
                        .toList(),
                policies.skippedDocuments(),
                policies.failClosed());
    }

    /** Every service account, as {@code namespace/name}. */
    public Set<String> serviceAccounts() {
        return call(
                        "ServiceAccounts",
                        () -> client.serviceAccounts().inAnyNamespace().list().getItems())
                .stream()
                .map(account -> account.getMetadata().getNamespace() + "/"
                        + account.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<GenericKubernetesResource> list(String kind) {
        try {
            return client.genericKubernetesResources(API_VERSION, kind)
                    .inAnyNamespace()
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new Unavailable(
                        "the cluster at " + server() + " has no " + kind + " in " + API_VERSION
                                + ": Signet's CRDs are not installed (helm install, or kubectl apply -f crds/)",
                        e);
            }
            throw failure(kind + "s", e);
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            throw failure(what, e);
        }
    }

    private Unavailable failure(String what, KubernetesClientException e) {
        return new Unavailable("cannot list " + what + " at " + server() + ": " + KubeClients.reason(e), e);
    }

    /** The parts of a policy the offline check reads: what a user applied, without what the server added. */
    private static Map<String, Object> document(GenericKubernetesResource object) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        var meta = object.getMetadata();
        metadata.put("name", meta.getName());
        metadata.put("namespace", meta.getNamespace());
        if (meta.getLabels() != null && !meta.getLabels().isEmpty()) {
            metadata.put("labels", meta.getLabels());
        }
        if (meta.getAnnotations() != null) {
            Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations());
            annotations.remove(LAST_APPLIED);
            if (!annotations.isEmpty()) {
                metadata.put("annotations", annotations);
            }
        }
        if (meta.getCreationTimestamp() != null) {
            metadata.put("creationTimestamp", meta.getCreationTimestamp());
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("apiVersion", object.getApiVersion());
        document.put("kind", object.getKind());
        document.put("metadata", metadata);
        Object spec = object.getAdditionalProperties().get("spec");
        if (spec != null) {
            document.put("spec", spec);
        }
        return document;
    }

    private static String yaml(List<Map<String, Object>> documents) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        StringBuilder text = new StringBuilder();
        try {
            for (Map<String, Object> document : documents) {
                text.append(mapper.writeValueAsString(document));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static PodWorkloads.Pod pod(Pod pod) {
        var meta = pod.getMetadata();
        List<PodWorkloads.ContainerPort> ports = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            pod.getSpec().getContainers().stream()
                    .filter(container -> container.getPorts() != null)
                    .flatMap(container -> container.getPorts().stream())
                    .forEach(port -> ports.add(new PodWorkloads.ContainerPort(
                            port.getContainerPort(), port.getProtocol(), port.getName())));
        }
        return new PodWorkloads.Pod(
                new ObjectMeta(
                        meta.getName(),
                        meta.getNamespace(),
                        meta.getLabels(),
                        meta.getAnnotations(),
                        meta.getCreationTimestamp(),
                        meta.getGeneration()),
                pod.getStatus() == null ? null : pod.getStatus().getPhase(),
                meta.getDeletionTimestamp() != null,
                pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName(),
                ports,
                pod.getStatus() == null ? null : pod.getStatus().getPodIP());
    }

    @Override
    public void close() {
        client.close();
    }
}
