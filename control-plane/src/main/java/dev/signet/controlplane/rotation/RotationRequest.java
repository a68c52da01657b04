package dev.signet.controlplane.rotation;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.crypto.KeyType;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What starting a rotation asks for: the mode, and the new root, either {@code supplied} (the plug-in files, the root
 * key optional) or generated with {@code keyType} and {@code rootValidity}; {@code archive} keeps the retired root's
 * keys instead of destroying them.
 */
public record RotationRequest(
        RotationMode mode, Optional<CaMaterial> supplied, KeyType keyType, Duration rootValidity, boolean archive) {

    public RotationRequest {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(supplied, "supplied");
        Objects.requireNonNull(keyType, "keyType");
        if (rootValidity.isNegative() || rootValidity.isZero()) {
            throw new RotationRefused("the new root's validity must be positive, not " + rootValidity);
        }
    }

    /** A generated ECDSA P-256 root valid ten years, the retired keys destroyed. */
    public static RotationRequest generated(RotationMode mode) {
        return new RotationRequest(
                mode, Optional.empty(), KeyType.EC_P256, AuthorityMinter.DEFAULT_ROOT_VALIDITY, false);
    }
}
