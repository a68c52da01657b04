package dev.signet.policy.select;

import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.Resource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the mesh of a source that hands over all its resources on every change (a cluster's informer caches), but
 * rebuilds only what changed: when the workloads and PeerAuthentications are as before, each changed, added or
 * removed AuthorizationPolicy replaces one namespace's index ({@link MeshPolicies#withAuthorizationPolicy}), the
 * rest is shared. Anything else, or many policies at once, is a full build. Either way the mesh is the one
 * {@link MeshPolicies#byCreation} builds from the same resources. Not thread-safe: one source calls it at a time.
 */
public final class IncrementalMesh {

    /** Beyond this many changed policies, one full build is cheaper than one namespace index per policy. */
    static final int MOST_CHANGES = 64;

    private final String rootNamespace;
    private MeshPolicies mesh;
    private Map<String, AuthorizationPolicy> policies = Map.of();
    private Map<String, Resource> others = Map.of();
    private long fullBuilds;
    private long incrementalBuilds;

    public IncrementalMesh(String rootNamespace) {
        this.rootNamespace = rootNamespace;
    }

    /** The mesh of {@code resources}, each ordered by its creationTimestamp, then namespace/name. */
    public MeshPolicies update(Collection<? extends Resource> resources) {
        Map<String, AuthorizationPolicy> nextPolicies = new HashMap<>();
        Map<String, Resource> nextOthers = new HashMap<>();
        for (Resource resource : resources) {
            if (resource instanceof AuthorizationPolicy policy) {
                nextPolicies.put(policy.key(), policy);
            } else {
                nextOthers.put(resource.kind() + " " + resource.key(), resource);
            }
        }
        MeshPolicies next = mesh != null && sameEntries(others, nextOthers) ? changedPolicies(nextPolicies) : null;
        if (next == null) {
            next = MeshPolicies.byCreation(rootNamespace, resources);
            fullBuilds++;
        } else {
            incrementalBuilds++;
        }
        mesh = next;
        policies = nextPolicies;
        others = nextOthers;
        return next;
    }

    /** How many updates built the whole mesh (the first one always does). */
    public long fullBuilds() {
        return fullBuilds;
    }

    /** How many updates replaced only the indexes of changed policies. */
    public long incrementalBuilds() {
        return incrementalBuilds;
    }

    /** The mesh with the policies that differ from the last ones replaced, or null when a full build is cheaper. */
    private MeshPolicies changedPolicies(Map<String, AuthorizationPolicy> next) {
        int changes = 0;
        MeshPolicies updated = mesh;
        for (Map.Entry<String, AuthorizationPolicy> entry : next.entrySet()) {
            AuthorizationPolicy before = policies.get(entry.getKey());
            if (!Objects.equals(before, entry.getValue())) {
                if (++changes > MOST_CHANGES) {
                    return null;
                }
                updated = updated.withAuthorizationPolicy(entry.getValue(), 0);
            }
        }
        for (AuthorizationPolicy gone : policies.values()) {
            if (!next.containsKey(gone.key())) {
                if (++changes > MOST_CHANGES) {
                    return null;
                }
                updated = updated.withoutAuthorizationPolicy(
                        gone.metadata().namespaceOrDefault(), gone.metadata().name());
            }
        }
        return updated;
    }

    private static boolean sameEntries(Map<String, Resource> before, Map<String, Resource> after) {
        if (before.size() != after.size()) {
            return false;
        }
        for (Map.Entry<String, Resource> entry : after.entrySet()) {
            if (!Objects.equals(before.get(entry.getKey()), entry.getValue())) {
                return false;
            }
        }
        return true;
    }
}
