package dev.signet.controlplane.replicas;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the other replicas of the control plane reported: the reports that could be read, by the name each is kept
 * under, the names of those that could not, and how recent a report must be for its agents' confirmations to count.
 */
public record OtherReplicas(Map<String, ReplicaReport> reports, List<String> unreadable, Duration fresh) {

    /** No other replica: a control plane alone. */
    public static final OtherReplicas NONE = new OtherReplicas(Map.of(), List.of(), Duration.ZERO);

    public OtherReplicas {
        reports = Map.copyOf(reports);
        unreadable = List.copyOf(unreadable);
    }
}
