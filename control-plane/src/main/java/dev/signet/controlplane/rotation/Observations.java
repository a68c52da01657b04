package dev.signet.controlplane.rotation;

import java.util.List;

/**
 * What the control plane saw when a gate is judged: the connected workloads and their confirmed bundle versions,
 * how many namespaces carry the current bundle (0 of 0 in standalone mode), the leaves still in use under the
 * rotation's old root, and those in use whose chain carries the new root cross-signed by the old one (each with up
 * to ten of their holders).
 */
public record Observations(
        List<WorkloadConfirmation> workloads,
        int namespacesPublished,
        int namespacesTotal,
        long oldRootLeavesInUse,
        List<String> oldRootLeafHolders,
        long crossLinkedLeavesInUse,
        List<String> crossLinkedLeafHolders) {

    public Observations {
        workloads = List.copyOf(workloads);
        oldRootLeafHolders = List.copyOf(oldRootLeafHolders);
        crossLinkedLeafHolders = List.copyOf(crossLinkedLeafHolders);
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
