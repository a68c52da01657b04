package dev.signet.policy.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Kubernetes Pod as the compiler's Workload, from the Pod's fields alone, so that the operator (from its informer)
 * and {@code signet check --cluster} (from a list) read Pods the same way without sharing a Kubernetes client.
 */
public final class PodWorkloads {

    /** One container port as the Pod declares it. */
    public record ContainerPort(int number, String protocol, String name) {}

    /** What of a Pod decides its Workload. {@code phase} and {@code address} may be null (not yet known). */
    public record Pod(
            ObjectMeta metadata,
            String phase,
            boolean deleting,
            String serviceAccount,
            List<ContainerPort> ports,
            String address) {}

    private PodWorkloads() {}

    /**
     * A Pod that exists and has not finished, as a Workload. A port's protocol follows Istio's port naming
     * ({@code http-…}, {@code http2-…}, {@code grpc-…}); anything else is TCP, where HTTP-only ALLOW rules drop out
     * (narrower, never wider). UDP and SCTP ports are left out.
     */
    public static Optional<Workload> of(Pod pod) {
        if ("Succeeded".equals(pod.phase()) || "Failed".equals(pod.phase()) || pod.deleting()) {
            return Optional.empty();
        }
        List<WorkloadPort> ports = new ArrayList<>();
        for (ContainerPort port : pod.ports()) {
            if (port.protocol() == null || "TCP".equals(port.protocol())) {
                ports.add(new WorkloadPort(port.number(), protocol(port.name()), port.name()));
            }
        }
        String account = pod.serviceAccount() == null ? "default" : pod.serviceAccount();
        return Optional.of(new Workload(
                "security.signet.dev/v1",
                Workload.KIND,
                pod.metadata(),
                new WorkloadSpec(account, ports, pod.address())));
    }

    public static Protocol protocol(String portName) {
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
}
