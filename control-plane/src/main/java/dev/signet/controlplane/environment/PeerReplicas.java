package dev.signet.controlplane.environment;

import dev.signet.controlplane.replicas.OtherReplicas;

/**
 * What the other replicas of the control plane reported (their agents' confirmations and their leaves), for the
 * rotation's gates to count them too. Alone, there are none: the gates then merge this replica's observations with
 * zero peers, the same way.
 */
@FunctionalInterface
public interface PeerReplicas {

    PeerReplicas NONE = () -> OtherReplicas.NONE;

    OtherReplicas others();
}
