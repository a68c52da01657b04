package dev.signet.controlplane.rotation;

/** A connected workload and the highest bundle version it has confirmed holding (0: none yet). */
public record WorkloadConfirmation(String workload, long confirmedVersion) {}
