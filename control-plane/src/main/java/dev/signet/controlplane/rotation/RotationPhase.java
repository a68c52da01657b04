package dev.signet.controlplane.rotation;

/**
 * The phases of replacing root {@code from} by root {@code to}. Each fixes which roots are trusted and which root
 * signs, so the mesh's state follows from the phase alone.
 */
public enum RotationPhase {
    /** Bundle {from, to}; leaves still signed under {@code from}. */
    PREPARE,
    /** Bundle {from, to}; leaves signed under {@code to}, their chains carrying {@code to} cross-signed by {@code from}. */
    ACTIVATE,
    /**
     * Bundle {to}; {@code from} is no longer trusted, its key kept until the rotation completes. Leaves whose chain
     * carries the cross-signed link to {@code from} are renewed without it.
     */
    RETIRE,
    /** Done: bundle {to}; {@code from}'s key is destroyed unless it was archived. */
    COMPLETE;

    /** Whether {@code from}'s root is still in the bundle. */
    public boolean trustsOldRoot() {
        return this == PREPARE || this == ACTIVATE;
    }

    /** Whether {@code to}'s authority signs. */
    public boolean newRootSigns() {
        return this != PREPARE;
    }

    public RotationPhase next() {
        return switch (this) {
            case PREPARE -> ACTIVATE;
            case ACTIVATE -> RETIRE;
            case RETIRE, COMPLETE -> COMPLETE;
        };
    }
}
