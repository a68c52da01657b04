package dev.signet.controlplane.environment;

/**
 * How many policies a mesh source holds in force and how many it holds invalid (each kept at its last valid
 * generation, or enforced fail-closed), for the metrics an operator alerts on.
 */
public record PolicyCounts(int inForce, int invalid) {

    public static final PolicyCounts NONE = new PolicyCounts(0, 0);
}
