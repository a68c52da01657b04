package dev.signet.controlplane.xds;

import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.MtlsMode;
import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadPort;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.select.Ordered;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled resources for one mesh version, shared by every workload with the same compiled inputs: its ports, the
 * policies that apply to it (the same objects within one mesh) and the mTLS mode of each port. Replicas of a
 * deployment, and workloads alike in policy, compile once instead of once each.
 */
final class ProxyResourcesCache {

    /** What a workload's inbound configuration depends on; policies compared by identity within one mesh. */
    private record Signature(List<WorkloadPort> ports, List<Object> policies, List<MtlsMode> modes) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Signature other)
                    || !ports.equals(other.ports)
                    || !modes.equals(other.modes)
                    || policies.size() != other.policies.size()) {
                return false;
            }
            for (int i = 0; i < policies.size(); i++) {
                if (policies.get(i) != other.policies.get(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = ports.hashCode() * 31 + modes.hashCode();
            for (Object policy : policies) {
                hash = hash * 31 + System.identityHashCode(policy);
            }
            return hash;
        }
    }

    private final MeshPolicies mesh;
    private final String trustDomain;
    private final Map<Signature, ProxyResources> compiled = new ConcurrentHashMap<>();

    ProxyResourcesCache(MeshPolicies mesh, String trustDomain) {
        this.mesh = mesh;
        this.trustDomain = trustDomain;
    }

    MeshPolicies mesh() {
        return mesh;
    }

    Optional<ProxyResources> forWorkload(String workloadKey) {
        return mesh.workload(workloadKey).map(this::forWorkload);
    }

    private ProxyResources forWorkload(Workload workload) {
        List<Ordered<AuthorizationPolicy>> policies = mesh.authorizationPoliciesFor(workload);
        List<MtlsMode> modes = workload.spec().ports().stream()
                .map(p -> mesh.mtls(workload, p.port()).mode())
                .toList();
        Signature signature = new Signature(workload.spec().ports(), List.copyOf(policies), modes);
        return compiled.computeIfAbsent(signature, s -> new ProxyResources(mesh, workload, trustDomain));
    }
}
