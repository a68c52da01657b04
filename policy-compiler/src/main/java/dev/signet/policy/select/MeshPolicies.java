package dev.signet.policy.select;

import dev.signet.policy.load.LoadedResource;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.AuthorizationPolicySpec;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.TargetRef;
import dev.signet.policy.model.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable view of the mesh's valid resources with their indexes: what the compiler, the evaluator and the
 * control plane ask "what applies to this workload?". A changed AuthorizationPolicy gives a new view that rebuilds
 * only its namespace's index, and {@link #workloadsSelectedBy} says which workloads need recompiling.
 */
public final class MeshPolicies {

    public static final String DEFAULT_ROOT_NAMESPACE = "signet-system";

    private final String rootNamespace;
    private final Map<String, Workload> workloads;
    private final Map<String, List<Workload>> workloadsByNamespace;
    private final AuthorizationPolicyIndex authorizationIndex;
    private final PeerAuthenticationResolver peerAuthentication;

    private MeshPolicies(
            String rootNamespace,
            Map<String, Workload> workloads,
            Map<String, List<Workload>> workloadsByNamespace,
            AuthorizationPolicyIndex authorizationIndex,
            PeerAuthenticationResolver peerAuthentication) {
        this.rootNamespace = rootNamespace;
        this.workloads = workloads;
        this.workloadsByNamespace = workloadsByNamespace;
        this.authorizationIndex = authorizationIndex;
        this.peerAuthentication = peerAuthentication;
    }

    /** The mesh before any policy is known: no workloads, no resources, under the default root namespace. */
    public static MeshPolicies empty() {
        return of(DEFAULT_ROOT_NAMESPACE, List.of());
    }

    /** The mesh of resources loaded from files: their load order stands for creation order where they carry none. */
    public static MeshPolicies of(String rootNamespace, Collection<LoadedResource> resources) {
        List<Ordered<? extends Resource>> ordered = new ArrayList<>(resources.size());
        resources.forEach(loaded -> ordered.add(Ordered.of(loaded.resource(), loaded.sequence())));
        return build(rootNamespace, ordered);
    }

    /**
     * The mesh of a cluster's resources, which carry their creationTimestamp: each is ordered by it, then by
     * namespace/name, whatever order they are given in.
     */
    public static MeshPolicies byCreation(String rootNamespace, Collection<? extends Resource> resources) {
        List<Ordered<? extends Resource>> ordered = new ArrayList<>(resources.size());
        resources.forEach(resource -> ordered.add(Ordered.of(resource, 0)));
        return build(rootNamespace, ordered);
    }

    @SuppressWarnings("unchecked")
    private static MeshPolicies build(String rootNamespace, List<Ordered<? extends Resource>> resources) {
        Map<String, Workload> workloads = new LinkedHashMap<>();
        Map<String, List<Workload>> byNamespace = new HashMap<>();
        List<Ordered<AuthorizationPolicy>> authorization = new ArrayList<>();
        List<Ordered<PeerAuthentication>> peer = new ArrayList<>();
        for (Ordered<? extends Resource> entry : resources) {
            if (entry.resource() instanceof Workload workload) {
                workloads.put(workload.key(), workload);
            } else if (entry.resource() instanceof AuthorizationPolicy) {
                authorization.add((Ordered<AuthorizationPolicy>) entry);
            } else if (entry.resource() instanceof PeerAuthentication) {
                peer.add((Ordered<PeerAuthentication>) entry);
            }
        }
        workloads
                .values()
                .forEach(w -> byNamespace
                        .computeIfAbsent(w.metadata().namespaceOrDefault(), ns -> new ArrayList<>())
                        .add(w));
        return new MeshPolicies(
                rootNamespace,
                workloads,
                byNamespace,
                new AuthorizationPolicyIndex(rootNamespace, authorization),
                new PeerAuthenticationResolver(rootNamespace, peer));
    }

    /** This mesh with a loaded AuthorizationPolicy added or replaced (same namespace/name), in its load order. */
    public MeshPolicies withAuthorizationPolicy(LoadedResource loaded) {
        return withAuthorizationPolicy((AuthorizationPolicy) loaded.resource(), loaded.sequence());
    }

    /**
     * This mesh with {@code policy} added or replaced (same namespace/name): only its namespace's index is rebuilt.
     * {@code sequence} orders it after others of the same creationTimestamp (0 where every resource has one).
     */
    public MeshPolicies withAuthorizationPolicy(AuthorizationPolicy policy, long sequence) {
        return new MeshPolicies(
                rootNamespace,
                workloads,
                workloadsByNamespace,
                authorizationIndex.with(
                        policy.metadata().namespaceOrDefault(), policy.key(), Ordered.of(policy, sequence)),
                peerAuthentication);
    }

    /** This mesh without the AuthorizationPolicy {@code namespace/name}. */
    public MeshPolicies withoutAuthorizationPolicy(String namespace, String name) {
        return new MeshPolicies(
                rootNamespace,
                workloads,
                workloadsByNamespace,
                authorizationIndex.with(namespace, namespace + "/" + name, null),
                peerAuthentication);
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

    /** Every AuthorizationPolicy, oldest first. */
    public List<Ordered<AuthorizationPolicy>> allAuthorizationPolicies() {
        return authorizationIndex.all();
    }

    /** The AuthorizationPolicy {@code namespace/name}, or null. */
    public AuthorizationPolicy authorizationPolicy(String namespace, String name) {
        return authorizationIndex.find(namespace, namespace + "/" + name);
    }

    /** The AuthorizationPolicies that apply to the workload, oldest first. */
    public List<Ordered<AuthorizationPolicy>> authorizationPoliciesFor(Workload workload) {
        return authorizationIndex.select(workload);
    }

    public MtlsDecision mtls(Workload workload, int port) {
        return peerAuthentication.resolve(workload, port);
    }

    /**
     * The workloads a policy applies to: those a change of it (before or after) requires recompiling. A policy in
     * the root namespace without a selector reaches every workload.
     */
    public Set<Workload> workloadsSelectedBy(AuthorizationPolicy policy) {
        String namespace = policy.metadata().namespaceOrDefault();
        AuthorizationPolicySpec spec = policy.specOrEmpty();
        Collection<Workload> candidates = namespace.equals(rootNamespace)
                ? workloads.values()
                : workloadsByNamespace.getOrDefault(namespace, List.of());
        Set<Workload> selected = new LinkedHashSet<>();
        List<TargetRef> refs = spec.allTargetRefs();
        for (Workload workload : candidates) {
            if (!refs.isEmpty()) {
                boolean targeted = workload.metadata().namespaceOrDefault().equals(namespace)
                        && refs.stream()
                                .anyMatch(ref -> "Service".equals(ref.kind())
                                        && workload.metadata().name().equals(ref.name()));
                if (targeted) {
                    selected.add(workload);
                }
            } else if (spec.selector() == null
                    || spec.selector().matches(workload.metadata().labels())) {
                selected.add(workload);
            }
        }
        return selected;
    }
}
