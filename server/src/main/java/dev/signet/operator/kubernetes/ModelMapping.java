package dev.signet.operator.kubernetes;

import dev.signet.operator.crd.AuthorizationPolicyResource;
import dev.signet.operator.crd.PeerAuthenticationResource;
import dev.signet.operator.crd.SignetGroup;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.ObjectMeta;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.PodWorkloads;
import dev.signet.policy.model.Protocol;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.Workload;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Kubernetes objects as the policy compiler's model: the two policy kinds, and Pods as Workloads. */
final class ModelMapping {

    private ModelMapping() {}

    static AuthorizationPolicy authorizationPolicy(AuthorizationPolicyResource resource) {
        return new AuthorizationPolicy(
                SignetGroup.API_VERSION, AuthorizationPolicy.KIND, meta(resource), resource.getSpec());
    }

    static PeerAuthentication peerAuthentication(PeerAuthenticationResource resource) {
        return new PeerAuthentication(
                SignetGroup.API_VERSION, PeerAuthentication.KIND, meta(resource), resource.getSpec());
    }

    /** A Pod that exists and has not finished, as a Workload ({@link PodWorkloads}). */
    static Optional<Workload> workload(Pod pod) {
        List<PodWorkloads.ContainerPort> ports = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            pod.getSpec().getContainers().stream()
                    .filter(container -> container.getPorts() != null)
                    .flatMap(container -> container.getPorts().stream())
                    .forEach(port -> ports.add(new PodWorkloads.ContainerPort(
                            port.getContainerPort(), port.getProtocol(), port.getName())));
        }
        return PodWorkloads.of(new PodWorkloads.Pod(
                meta(pod),
                pod.getStatus() == null ? null : pod.getStatus().getPhase(),
                pod.getMetadata().getDeletionTimestamp() != null,
                pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName(),
                ports,
                pod.getStatus() == null ? null : pod.getStatus().getPodIP()));
    }

    static Protocol protocol(String portName) {
        return PodWorkloads.protocol(portName);
    }

    private static ObjectMeta meta(HasMetadata object) {
        var metadata = object.getMetadata();
        return new ObjectMeta(
                metadata.getName(),
                metadata.getNamespace(),
                metadata.getLabels(),
                metadata.getAnnotations(),
                metadata.getCreationTimestamp(),
                metadata.getGeneration());
    }

    static String key(Resource resource) {
        return key(
                resource.kind(),
                resource.metadata().namespaceOrDefault(),
                resource.metadata().name());
    }

    /** How a resource is named in logs, locations and the in-force table: {@code Kind namespace/name}. */
    static String key(String kind, String namespace, String name) {
        return kind + " " + namespace + "/" + name;
    }
}
