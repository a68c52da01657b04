package dev.signet.operator.kubernetes;

import dev.signet.operator.crd.AuthorizationPolicyResource;
import dev.signet.operator.crd.PeerAuthenticationResource;
import dev.signet.operator.crd.SignetGroup;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.ObjectMeta;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.Protocol;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadPort;
import dev.signet.policy.model.WorkloadSpec;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    /**
     * A Pod that exists and has not finished, as a Workload. A port's protocol follows Istio's port naming
     * ({@code http-…}, {@code http2-…}, {@code grpc-…}); anything else is TCP, where HTTP-only ALLOW rules drop out
     * (narrower, never wider).
     */
    static Optional<Workload> workload(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase)
                || "Failed".equals(phase)
                || pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        List<WorkloadPort> ports = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            pod.getSpec().getContainers().forEach(container -> {
                if (container.getPorts() != null) {
                    for (ContainerPort port : container.getPorts()) {
                        if (port.getProtocol() == null || "TCP".equals(port.getProtocol())) {
                            ports.add(new WorkloadPort(
                                    port.getContainerPort(), protocol(port.getName()), port.getName()));
                        }
                    }
                }
            });
        }
        String account = pod.getSpec() == null || pod.getSpec().getServiceAccountName() == null
                ? "default"
                : pod.getSpec().getServiceAccountName();
        String address = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        return Optional.of(new Workload(
                SignetGroup.API_VERSION, Workload.KIND, meta(pod), new WorkloadSpec(account, ports, address)));
    }

    static Protocol protocol(String portName) {
        if (portName == null) {
            return Protocol.TCP;
        }
        String prefix = portName.toLowerCase(Locale.ROOT).split("-", 2)[0];
        return switch (prefix) {
            case "http" -> Protocol.HTTP;
            case "http2" -> Protocol.HTTP2;
            case "grpc" -> Protocol.GRPC;
            default -> Protocol.TCP;
        };
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
