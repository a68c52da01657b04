package dev.signet.controlplane.rotation;

import java.util.Optional;

/**
 * What must survive a restart: the trust bundle's version (agents ignore a bundle older than the one they hold, so
 * it may never go back), the rotation in progress or last finished, and whether the retired root's key is to be
 * archived rather than destroyed.
 */
public record RotationRecord(long bundleVersion, Optional<RootRotation> rotation, boolean archiveOldKey) {

    public static final RotationRecord INITIAL = new RotationRecord(1, Optional.empty(), false);

    public RotationRecord {
        if (bundleVersion < 1) {
            throw new IllegalArgumentException("a bundle version starts at 1");
        }
    }

    /** A rotation in progress: one that has not completed. */
    public Optional<RootRotation> inProgress() {
        return rotation.filter(r -> !r.complete());
    }

    public RotationRecord with(RootRotation next) {
        return new RotationRecord(Math.max(bundleVersion, next.bundleVersion()), Optional.of(next), archiveOldKey);
    }

    public RotationRecord archiving(boolean archive) {
        return new RotationRecord(bundleVersion, rotation, archive);
    }
}
