package dev.signet.controlplane.replicas;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * What the other replicas of the control plane reported: the reports that could be read, the names of those that
 * could not, and how recent a report must be for its agents' confirmations to count.
 */
public record OtherReplicas(Collection<ReplicaReport> reports, List<String> unreadable, Duration fresh) {

    public OtherReplicas {
        reports = List.copyOf(reports);
        unreadable = List.copyOf(unreadable);
    }
}
