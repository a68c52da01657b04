package dev.signet.controlplane.rotation;

import java.util.List;

/**
 * What the control plane saw when a gate is judged: the connected workloads and their confirmed bundle versions,
 * how many namespaces carry the current bundle (0 of 0 in standalone mode), and the leaves still in use under the
 * rotation's old root, with up to ten of their holders.
 */
public record Observations(List<WorkloadConfirmation> workloads, int namespacesPublished, int namespacesTotal,
                           long oldRootLeavesInUse, List<String> oldRootLeafHolders) {

    public Observations {
        workloads = List.copyOf(workloads);
        oldRootLeafHolders = List.copyOf(oldRootLeafHolders);
    }
}
