package dev.signet.policy.compile;

import dev.signet.policy.model.Action;
import dev.signet.policy.model.Rule;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each rule's RBAC policy, compiled once for every workload it applies to. A namespace-wide policy over 10,000
 * workloads was compiled 10,000 times, once per workload's listener; now it is compiled once per mesh, and an
 * unchanged rule (the same object in the next mesh, as an incremental mesh keeps it) not at all. Rules are keyed by
 * identity: a changed policy is a new object and is compiled afresh. Safe for the push's parallel compilations.
 */
public final class RuleCache {

    /** The compiled policy depends on the rule, the action of its policy and whether the port is TCP, nothing else. */
    private record Key(Rule rule, Action action, boolean tcp) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && rule == other.rule && action == other.action && tcp == other.tcp;
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(rule) * 31 + action.ordinal()) * 2 + (tcp ? 1 : 0);
        }
    }

    private final Map<Key, Optional<Policy>> compiled = new ConcurrentHashMap<>();
    /** The cache of the mesh before, consulted until {@link #forgetBefore()}; null when there is none. */
    private volatile RuleCache before;

    public RuleCache() {}

    private RuleCache(RuleCache before) {
        this.before = before;
    }

    /** A cache for the next mesh: it reuses this one's compilations until told to forget them. */
    public RuleCache next() {
        return new RuleCache(this);
    }

    /** Lets go of the earlier meshes' compilations (and with them their rules). */
    public void forgetBefore() {
        before = null;
    }

    /** {@link RbacRuleCompiler#compile}, remembered. */
    Optional<Policy> compile(Rule rule, Action action, boolean tcp) {
        Key key = new Key(rule, action, tcp);
        Optional<Policy> known = compiled.get(key);
        if (known != null) {
            return known;
        }
        for (RuleCache cache = before; cache != null && known == null; cache = cache.before) {
            known = cache.compiled.get(key);
        }
        if (known == null) {
            known = RbacRuleCompiler.compile(rule, action, tcp);
        }
        Optional<Policy> raced = compiled.putIfAbsent(key, known);
        return raced != null ? raced : known;
    }

    /** How many rules this mesh's cache holds: for tests. */
    int size() {
        return compiled.size();
    }
}
