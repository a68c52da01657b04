package dev.signet.controlplane.rotation;

/** Automatic: each gate, once open, advances the rotation. Manual: it advances only up to the phase an admin set. */
public enum RotationMode {
    AUTOMATIC,
    MANUAL
}
