package dev.signet.ca.inventory;

import dev.signet.ca.authority.AuthorityIds;
import dev.signet.ca.spiffe.SpiffeId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every leaf the CA issued, by authority, until it expires. Thread-safe; recording is a map insert so that it
 * stays off the issuance hot path's cost.
 */
public final class LeafInventory implements IssuedLeaves {

    /** Told of every change, after it is made: what keeps a durable copy (a journal) in step. */
    public interface Listener {
        void recorded(IssuedLeaf leaf);

        void superseded(IssuedLeaf leaf);
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void recorded(IssuedLeaf leaf) {}

        @Override
        public void superseded(IssuedLeaf leaf) {}
    };

    private final Map<String, Map<BigInteger, IssuedLeaf>> byAuthority = new ConcurrentHashMap<>();
    /**
     * The same leaves less those superseded: what the gates scan on every check, so that a scan shrinks as renewals
     * replace the old root's leaves instead of walking every leaf issued until it expires.
     */
    private final Map<String, Map<BigInteger, IssuedLeaf>> unreplaced = new ConcurrentHashMap<>();
    /**
     * For each claim "this holder replaced that serial", the newest leaf issued to replace it. Keyed by the holder
     * too: a claim is worth only as much as the holder's right to the serial, which the replica that issued the
     * serial judges (it knows the leaf's holder), so one identity's claim never overwrites another's.
     */
    private final Map<Replacement, BigInteger> successors = new ConcurrentHashMap<>();

    private final Listener listener;

    public LeafInventory() {
        this(NONE);
    }

    public LeafInventory(Listener listener) {
        this.listener = listener;
    }

    public void record(IssuedLeaf leaf) {
        restore(leaf);
        listener.recorded(leaf);
    }

    /** Puts back a leaf known from before a restart, as it was then; the listener is not told. */
    public void restore(IssuedLeaf leaf) {
        byAuthority
                .computeIfAbsent(leaf.authorityId(), id -> new ConcurrentHashMap<>())
                .put(leaf.serial(), leaf);
        Map<BigInteger, IssuedLeaf> open =
                unreplaced.computeIfAbsent(leaf.authorityId(), id -> new ConcurrentHashMap<>());
        if (leaf.superseded()) {
            open.remove(leaf.serial());
        } else {
            open.put(leaf.serial(), leaf);
        }
    }

    /** Every leaf still remembered, superseded or not. */
    @Override
    public List<IssuedLeaf> all() {
        return byAuthority.values().stream()
                .flatMap(leaves -> leaves.values().stream())
                .toList();
    }

    /** The leaves not superseded (expired ones too, until pruned): what a durable copy must keep. */
    @Override
    public List<IssuedLeaf> unreplaced() {
        return unreplaced.values().stream()
                .flatMap(leaves -> leaves.values().stream())
                .toList();
    }

    @Override
    public Count inUseUnder(String authorityId, Instant t, int limit) {
        // One pass, keeping only the soonest-expiring few: run on every gate check, over every leaf of the mesh.
        Comparator<IssuedLeaf> soonest = Comparator.comparing(IssuedLeaf::notAfter);
        PriorityQueue<IssuedLeaf> first = new PriorityQueue<>(soonest.reversed());
        long[] total = {0};
        inUseUnder(authorityId, t).forEach(leaf -> {
            total[0]++;
            if (limit > 0 && (first.size() < limit || soonest.compare(leaf, first.peek()) < 0)) {
                first.add(leaf);
                if (first.size() > limit) {
                    first.poll();
                }
            }
        });
        return new Count(total[0], first.stream().sorted(soonest).toList());
    }

    /** Who holds the leaves {@link #inUseUnder(String, Instant, int)} counts: whom to ask to renew. */
    @Override
    public Set<SpiffeId> holdersUnder(String authorityId, Instant t) {
        return inUseUnder(authorityId, t).map(IssuedLeaf::id).collect(Collectors.toSet());
    }

    private Stream<IssuedLeaf> inUseUnder(String authorityId, Instant t) {
        return unreplaced.entrySet().stream()
                .filter(e -> AuthorityIds.covers(authorityId, e.getKey()))
                .flatMap(e -> e.getValue().values().stream())
                .filter(leaf -> leaf.isInUseAt(t));
    }

    /** How many leaves matched, and the first of them. */
    public record Count(long total, List<IssuedLeaf> first) {
        public Count {
            first = List.copyOf(first);
        }
    }

    /**
     * Marks the leaf {@code serial} as replaced, when it was issued to {@code holder}: a holder can only give up
     * its own leaves. Returns whether a leaf was marked.
     */
    public boolean supersede(SpiffeId holder, BigInteger serial) {
        for (Map<BigInteger, IssuedLeaf> leaves : byAuthority.values()) {
            IssuedLeaf leaf = leaves.get(serial);
            if (leaf != null && leaf.id().equals(holder) && !leaf.superseded()) {
                IssuedLeaf marked = leaf.markedSuperseded();
                boolean replaced = leaves.replace(serial, leaf, marked);
                if (replaced) {
                    unreplaced.getOrDefault(leaf.authorityId(), Map.of()).remove(serial);
                    listener.superseded(marked);
                }
                return replaced;
            }
        }
        return false;
    }

    /**
     * Marks every leaf of {@code holder} as replaced, but {@code kept}: for a holder that holds one leaf at a time,
     * such as the control plane's serving certificate (after a renewal, or a restart: the process that served the others
     * is gone). Returns how many were marked.
     */
    public int supersedeAllBut(SpiffeId holder, BigInteger kept) {
        int marked = 0;
        for (IssuedLeaf leaf : all()) {
            if (leaf.id().equals(holder)
                    && !leaf.serial().equals(kept)
                    && !leaf.superseded()
                    && supersede(holder, leaf.serial())) {
                marked++;
            }
        }
        return marked;
    }

    /** A serial that {@code holder} says it replaced. */
    public record Replacement(BigInteger serial, SpiffeId holder) {}

    /**
     * {@code holder} received {@code successor} in place of {@code replaced}: the replaced leaf is out of use, and so
     * is any leaf issued earlier in place of the same one. That earlier leaf's holder asked again, so it never got
     * or never kept it (a response lost, a retry); left alone, it would count as in use until it expired. A leaf known
     * here to be another identity's is left alone, and the claim is not even kept: a workload gives up its own leaves
     * only (a serial is visible in any TLS handshake, so naming one proves nothing).
     */
    public void replace(SpiffeId holder, BigInteger replaced, BigInteger successor) {
        if (find(replaced).map(leaf -> !leaf.id().equals(holder)).orElse(false)) {
            return;
        }
        supersede(holder, replaced);
        BigInteger earlier = successors.put(new Replacement(replaced, holder), successor);
        if (earlier != null && !earlier.equals(successor)) {
            supersede(holder, earlier);
        }
    }

    private java.util.Optional<IssuedLeaf> find(BigInteger serial) {
        return byAuthority.values().stream()
                .map(leaves -> leaves.get(serial))
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** Every leaf in use at {@code t}, by the authority it was filed under: what a replica tells the others. */
    @Override
    public Map<String, List<IssuedLeaf>> inUseByAuthority(Instant t) {
        Map<String, List<IssuedLeaf>> inUse = new TreeMap<>();
        unreplaced.forEach((authority, leaves) -> {
            List<IssuedLeaf> live =
                    leaves.values().stream().filter(leaf -> leaf.isInUseAt(t)).toList();
            if (!live.isEmpty()) {
                inUse.put(authority, live);
            }
        });
        return inUse;
    }

    /**
     * The serials known here to be out of use, each with the holder that gave it up: those renewals named as replaced,
     * whether or not this inventory issued them, and those it marked superseded (a serving certificate of a process
     * that is gone). Another replica that issued one counts it out of use only when the holder is the leaf's own.
     */
    @Override
    public Set<Replacement> replacements() {
        Set<Replacement> replaced = new HashSet<>(successors.keySet());
        byAuthority
                .values()
                .forEach(leaves -> leaves.values().stream()
                        .filter(IssuedLeaf::superseded)
                        .forEach(leaf -> replaced.add(new Replacement(leaf.serial(), leaf.id()))));
        return replaced;
    }

    /** The leaves of {@code authorityId} not superseded (expired ones are still there until pruned). */
    private Stream<IssuedLeaf> leaves(String authorityId) {
        Map<BigInteger, IssuedLeaf> leaves = unreplaced.get(authorityId);
        return leaves == null ? Stream.empty() : leaves.values().stream();
    }

    /** Forgets leaves expired at {@code t}; returns how many were dropped. */
    public int prune(Instant t) {
        int[] dropped = {0};
        byAuthority
                .values()
                .forEach(leaves -> leaves.values().removeIf(leaf -> {
                    boolean expired = !leaf.isLiveAt(t);
                    if (expired) {
                        dropped[0]++;
                    }
                    return expired;
                }));
        unreplaced.values().forEach(leaves -> leaves.values().removeIf(leaf -> !leaf.isLiveAt(t)));
        successors
                .values()
                .removeIf(serial -> byAuthority.values().stream().noneMatch(leaves -> leaves.containsKey(serial)));
        return dropped[0];
    }

    @Override
    public int size() {
        return byAuthority.values().stream().mapToInt(Map::size).sum();
    }
}
