package dev.signet.controlplane.rotation;

import java.util.List;

/**
 * What the control plane saw when a gate is judged: the connected workloads and their confirmed bundle versions,
 * how many namespaces carry the current bundle (0 of 0 in standalone mode), the leaves still in use under the
 * rotation's old root, and those in use whose chain carries the new root cross-signed by the old one (each with up
 * to ten of their holders); and how much longer a JWT-SVID signed with the old root's key may be valid.
 */
public record Observations(
        List<WorkloadConfirmation> workloads,
        int namespacesPublished,
        int namespacesTotal,
        long oldRootLeavesInUse,
        List<String> oldRootLeafHolders,
        long crossLinkedLeavesInUse,
        List<String> crossLinkedLeafHolders,
        java.time.Duration oldJwtSvidsValidFor) {

    public Observations {
        workloads = List.copyOf(workloads);
        oldRootLeafHolders = List.copyOf(oldRootLeafHolders);
        crossLinkedLeafHolders = List.copyOf(crossLinkedLeafHolders);
    }

    /** Without JWT-SVIDs still valid under the old root's key. */
    public Observations(
            List<WorkloadConfirmation> workloads,
            int namespacesPublished,
            int namespacesTotal,
            long oldRootLeavesInUse,
            List<String> oldRootLeafHolders,
            long crossLinkedLeavesInUse,
            List<String> crossLinkedLeafHolders) {
        this(
                workloads,
                namespacesPublished,
                namespacesTotal,
                oldRootLeavesInUse,
                oldRootLeafHolders,
                crossLinkedLeavesInUse,
                crossLinkedLeafHolders,
                java.time.Duration.ZERO);
    }

    /** These observations, with JWT-SVIDs of the old root's key valid for {@code left} more. */
    public Observations withOldJwtSvidsValidFor(java.time.Duration left) {
        return new Observations(
                workloads,
                namespacesPublished,
                namespacesTotal,
                oldRootLeavesInUse,
                oldRootLeafHolders,
                crossLinkedLeavesInUse,
                crossLinkedLeafHolders,
                left);
    }

    /** Without cross-linked leaves (none issued, or none counted). */
    public Observations(
            List<WorkloadConfirmation> workloads,
            int namespacesPublished,
            int namespacesTotal,
            long oldRootLeavesInUse,
            List<String> oldRootLeafHolders) {
        this(workloads, namespacesPublished, namespacesTotal, oldRootLeavesInUse, oldRootLeafHolders, 0, List.of());
    }
}
