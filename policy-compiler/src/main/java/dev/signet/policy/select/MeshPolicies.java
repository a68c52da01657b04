package dev.signet.policy.select;

import dev.signet.policy.load.LoadedResource;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the mesh's valid resources with their indexes: what the compiler, the evaluator and the
 * control plane ask "what applies to this workload?".
 */
public final class MeshPolicies {

    public static final String DEFAULT_ROOT_NAMESPACE = "signet-system";

    private final String rootNamespace;
    private final Map<String, Workload> workloads;
    private final List<Ordered<AuthorizationPolicy>> authorizationPolicies;
    private final AuthorizationPolicyIndex authorizationIndex;
    private final PeerAuthenticationResolver peerAuthentication;

    private MeshPolicies(String rootNamespace, Map<String, Workload> workloads,
                         List<Ordered<AuthorizationPolicy>> authorizationPolicies,
                         List<Ordered<PeerAuthentication>> peerAuthentications) {
        this.rootNamespace = rootNamespace;
        this.workloads = workloads;
        this.authorizationPolicies = List.copyOf(authorizationPolicies);
        this.authorizationIndex = new AuthorizationPolicyIndex(rootNamespace, authorizationPolicies);
        this.peerAuthentication = new PeerAuthenticationResolver(rootNamespace, peerAuthentications);
    }

    public static MeshPolicies of(String rootNamespace, Collection<LoadedResource> resources) {
        Map<String, Workload> workloads = new LinkedHashMap<>();
        List<Ordered<AuthorizationPolicy>> authorization = new ArrayList<>();
        List<Ordered<PeerAuthentication>> peer = new ArrayList<>();
        for (LoadedResource loaded : resources) {
            if (loaded.resource() instanceof Workload workload) {
                workloads.put(workload.key(), workload);
            } else if (loaded.resource() instanceof AuthorizationPolicy) {
                authorization.add(Ordered.of(loaded));
            } else if (loaded.resource() instanceof PeerAuthentication) {
                peer.add(Ordered.of(loaded));
            }
        }
        return new MeshPolicies(rootNamespace, workloads, authorization, peer);
    }

    public String rootNamespace() {
        return rootNamespace;
    }

    public Collection<Workload> workloads() {
        return workloads.values();
    }

    /** By {@code namespace/name}. */
    public Optional<Workload> workload(String key) {
        return Optional.ofNullable(workloads.get(key));
    }

    public List<Ordered<AuthorizationPolicy>> allAuthorizationPolicies() {
        return authorizationPolicies;
    }

    /** The AuthorizationPolicies that apply to the workload, oldest first. */
    public List<Ordered<AuthorizationPolicy>> authorizationPoliciesFor(Workload workload) {
        return authorizationIndex.select(workload);
    }

    public MtlsDecision mtls(Workload workload, int port) {
        return peerAuthentication.resolve(workload, port);
    }
}
