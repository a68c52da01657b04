package dev.signet.agent;

import dev.signet.api.ca.v1.JwtAuthority;
import dev.signet.ca.jwt.JwtKey;
import java.util.List;

/** The JWT-SVID keys the control plane sent, checked: each key id must be the key's own thumbprint. */
final class JwtKeys {

    private JwtKeys() {}

    static List<JwtKey> from(List<JwtAuthority> authorities) {
        return authorities.stream()
                .map(authority -> {
                    JwtKey key = JwtKey.fromDer(authority.getPublicKey().toByteArray());
                    if (!key.keyId().equals(authority.getKeyId())) {
                        throw new IllegalArgumentException("JWT key \"" + authority.getKeyId()
                                + "\" does not match its thumbprint " + key.keyId());
                    }
                    return key;
                })
                .toList();
    }
}
