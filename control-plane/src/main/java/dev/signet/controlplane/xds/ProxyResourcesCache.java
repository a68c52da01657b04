package dev.signet.controlplane.xds;

import dev.signet.policy.compile.CompilerOptions;
import dev.signet.policy.compile.RuleCache;
import dev.signet.policy.compile.WorkloadCompiler;
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
    private final WorkloadCompiler compiler;
    /** Each rule compiled once for all the workloads it applies to, and kept for the next mesh while unchanged. */
    private final RuleCache rules;

    private final Map<Signature, ProxyResources> compiled = new ConcurrentHashMap<>();
    /**
     * The cache of the mesh before, until this one has been pushed to every stream: a workload whose policies are the
     * same objects as then (an incremental mesh keeps every unchanged policy) has the same inbound listeners, and is
     * not compiled again. Without it, one policy's change at 10,000 workloads compiled all 10,000.
     */
    private volatile ProxyResourcesCache before;

    ProxyResourcesCache(MeshPolicies mesh, String trustDomain) {
        this(mesh, trustDomain, new WorkloadCompiler(CompilerOptions.GRPC), new RuleCache(), null);
    }

    private ProxyResourcesCache(
            MeshPolicies mesh,
            String trustDomain,
            WorkloadCompiler compiler,
            RuleCache rules,
            ProxyResourcesCache before) {
        this.mesh = mesh;
        this.trustDomain = trustDomain;
        this.compiler = compiler;
        this.rules = rules;
        this.before = before;
    }

    /** The cache of {@code next}, which reuses this one's inbound compilations where they still apply. */
    ProxyResourcesCache next(MeshPolicies next) {
        return new ProxyResourcesCache(next, trustDomain, compiler, rules.next(), this);
    }

    /** Lets go of the meshes before this one, once every stream has been pushed from it. */
    void forgetBefore() {
        before = null;
        rules.forgetBefore();
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
        return compiled.computeIfAbsent(signature, s -> {
            ProxyResources earlier = earlier(s);
            return earlier != null
                    ? earlier.inMesh(mesh)
                    : ProxyResources.compiled(mesh, trustDomain, compiler.compile(mesh, workload, policies, rules));
        });
    }

    /**
     * What an earlier mesh compiled for {@code signature}, if one did: the policies in it are compared by identity, so
     * a policy that changed (a new object) never matches. Caches superseded before their push are looked through.
     */
    private ProxyResources earlier(Signature signature) {
        for (ProxyResourcesCache cache = before; cache != null; cache = cache.before) {
            ProxyResources found = cache.compiled.get(signature);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
