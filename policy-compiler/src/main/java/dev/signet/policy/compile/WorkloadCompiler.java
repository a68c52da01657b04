package dev.signet.policy.compile;

import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadPort;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.select.Ordered;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Compiles one workload: its applicable policies, per port, into listeners (and, for Envoy, local clusters). */
public final class WorkloadCompiler {

    private final CompilerOptions options;
    private final ListenerCompiler listeners;

    public WorkloadCompiler(CompilerOptions options) {
        this.options = options;
        this.listeners = new ListenerCompiler(options);
    }

    public CompiledWorkload compile(MeshPolicies mesh, Workload workload) {
        return compile(mesh, workload, mesh.authorizationPoliciesFor(workload), new RuleCache());
    }

    /**
     * {@code workload} under {@code policies} (what {@code mesh} applies to it, already selected by the caller), its
     * rules compiled through {@code rules}, which the caller shares across the workloads of one mesh.
     */
    public CompiledWorkload compile(
            MeshPolicies mesh, Workload workload, List<Ordered<AuthorizationPolicy>> policies, RuleCache rules) {
        List<String> notes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Listener> compiled = new ArrayList<>();
        List<Cluster> clusters = new ArrayList<>();
        List<WorkloadPort> ports = new ArrayList<>(workload.spec().ports());
        ports.sort(Comparator.comparing(WorkloadPort::port));
        for (WorkloadPort port : ports) {
            compiled.add(
                    listeners.compile(port, mesh.mtls(workload, port.port()).mode(), policies, notes, errors, rules));
            if (options.flavor() == TlsFlavor.ENVOY) {
                clusters.add(localCluster(port.port()));
            }
        }
        return new CompiledWorkload(
                workload.key(),
                List.copyOf(compiled),
                List.copyOf(clusters),
                List.copyOf(new java.util.LinkedHashSet<>(notes)),
                List.copyOf(errors));
    }

    /** The application behind the sidecar, on loopback. */
    private static Cluster localCluster(int port) {
        String name = CompilerOptions.inboundClusterName(port);
        return Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(10))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                        .setClusterName(name)
                        .addEndpoints(LocalityLbEndpoints.newBuilder()
                                .addLbEndpoints(LbEndpoint.newBuilder()
                                        .setEndpoint(Endpoint.newBuilder()
                                                .setAddress(Address.newBuilder()
                                                        .setSocketAddress(SocketAddress.newBuilder()
                                                                .setAddress("127.0.0.1")
                                                                .setPortValue(port)))))))
                .build();
    }
}
