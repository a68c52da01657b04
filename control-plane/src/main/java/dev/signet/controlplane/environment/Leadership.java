package dev.signet.controlplane.environment;

/**
 * Whether this replica drives root rotations (records their phases); the others follow what it records. Alone on a
 * machine a control plane always drives; in a cluster the holder of the leader's Lease does.
 */
@FunctionalInterface
public interface Leadership {

    Leadership ALONE = () -> true;

    boolean leads();
}
