package dev.signet.controlplane.rotation;

/** A rotation command that cannot be carried out in the rotation's present state; the message says why. */
public final class RotationRefused extends RuntimeException {

    public RotationRefused(String message) {
        super(message);
    }
}
