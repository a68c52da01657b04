package dev.signet.ca.inventory;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every leaf the CA issued, by authority, until it expires. Thread-safe; recording is a map insert so that it
 * stays off the issuance hot path's cost.
 */
public final class LeafInventory {

    private final Map<String, Map<BigInteger, IssuedLeaf>> byAuthority = new ConcurrentHashMap<>();

    public void record(IssuedLeaf leaf) {
        byAuthority.computeIfAbsent(leaf.authorityId(), id -> new ConcurrentHashMap<>()).put(leaf.serial(), leaf);
    }

    /** How many leaves signed under {@code authorityId} are still valid at {@code t}. */
    public long liveLeaves(String authorityId, Instant t) {
        Map<BigInteger, IssuedLeaf> leaves = byAuthority.get(authorityId);
        if (leaves == null) {
            return 0;
        }
        return leaves.values().stream().filter(leaf -> leaf.isLiveAt(t)).count();
    }

    /** Forgets leaves expired at {@code t}; returns how many were dropped. */
    public int prune(Instant t) {
        int[] dropped = {0};
        byAuthority.values().forEach(leaves -> leaves.values().removeIf(leaf -> {
            boolean expired = !leaf.isLiveAt(t);
            if (expired) {
                dropped[0]++;
            }
            return expired;
        }));
        return dropped[0];
    }

    public int size() {
        return byAuthority.values().stream().mapToInt(Map::size).sum();
    }
}
