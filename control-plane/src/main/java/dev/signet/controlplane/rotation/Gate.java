package dev.signet.controlplane.rotation;

import java.util.List;

/**
 * The verdict on the gate that holds a phase: open or not, and in numbers what it saw. {@code laggards} names the
 * first ten workloads (or leaf holders) that keep it shut.
 */
public record Gate(boolean open, String summary, int confirmed, int total, List<String> laggards) {

    static final int NAMED = 10;

    public Gate {
        laggards = List.copyOf(laggards);
    }

    /**
     * PREPARE and RETIRE wait for the bundle: every connected workload has confirmed {@code version} or later and
     * every namespace carries it.
     */
    static Gate bundleConfirmed(long version, Observations seen) {
        List<String> behind = seen.workloads().stream()
                .filter(w -> w.confirmedVersion() < version)
                .map(WorkloadConfirmation::workload)
                .toList();
        int total = seen.workloads().size();
        int confirmed = total - behind.size();
        if (behind.size() > NAMED) {
            // Only the first names are shown; sorting thousands of laggards on every check would be waste.
            java.util.PriorityQueue<String> first = new java.util.PriorityQueue<>(java.util.Comparator.reverseOrder());
            for (String name : behind) {
                first.add(name);
                if (first.size() > NAMED) {
                    first.poll();
                }
            }
            behind = new java.util.ArrayList<>(first);
        }
        behind = behind.stream().sorted().toList();
        boolean namespacesDone = seen.namespacesPublished() >= seen.namespacesTotal();
        boolean open = behind.isEmpty() && namespacesDone;
        String summary = "%d/%d workloads confirmed bundle v%d".formatted(confirmed, total, version)
                + (seen.namespacesTotal() > 0
                        ? ", %d/%d namespaces published".formatted(seen.namespacesPublished(), seen.namespacesTotal())
                        : "");
        return new Gate(open, summary, confirmed, total, behind);
    }

    /**
     * RETIRE waits for the bundle without the old root, and for the leaves whose chain still leads to it through the
     * cross-signed link to be replaced: at COMPLETE, nothing in use leads to the old root.
     */
    static Gate retired(long version, Observations seen) {
        Gate bundle = bundleConfirmed(version, seen);
        long linked = seen.crossLinkedLeavesInUse();
        if (linked == 0 || !bundle.open()) {
            return bundle;
        }
        List<String> holders = seen.crossLinkedLeafHolders();
        return new Gate(
                false,
                bundle.summary() + "; " + linked + " leaves in use still carry the cross-signed link to "
                        + "the old root",
                bundle.confirmed(),
                bundle.total(),
                holders.subList(0, Math.min(NAMED, holders.size())));
    }

    /**
     * ACTIVATE waits until no leaf in use chains to the old root, and no JWT-SVID signed with the old root's key is
     * still valid (RETIRE takes that key out of the bundle). Its counts are still those of the bundle ({@code version},
     * unchanged since PREPARE), so that status keeps showing who holds it.
     */
    static Gate oldLeavesGone(long version, Observations seen) {
        long left = seen.oldRootLeavesInUse();
        java.time.Duration jwt = seen.oldJwtSvidsValidFor();
        Gate bundle = bundleConfirmed(version, seen);
        return new Gate(
                left == 0 && !jwt.isNegative() && jwt.isZero(),
                left + " leaves in use under the old root"
                        + (jwt.isZero() || jwt.isNegative()
                                ? ""
                                : "; JWT-SVIDs of the old key valid for " + jwt.toSeconds() + "s more"),
                bundle.confirmed(),
                bundle.total(),
                seen.oldRootLeafHolders()
                        .subList(0, Math.min(NAMED, seen.oldRootLeafHolders().size())));
    }
}
