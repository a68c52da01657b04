package dev.signet.controlplane.ca;

import com.google.protobuf.ByteString;
import dev.signet.api.ca.v1.JwtAuthority;
import dev.signet.ca.bundle.TrustBundle;
import java.util.List;

/** A bundle's JWT-SVID keys as Signet's CA API sends them beside its roots. */
final class JwtAuthorities {

    private JwtAuthorities() {}

    static List<JwtAuthority> of(TrustBundle bundle) {
        return bundle.jwtKeys().stream()
                .map(key -> JwtAuthority.newBuilder()
                        .setKeyId(key.keyId())
                        .setPublicKey(ByteString.copyFrom(key.der()))
                        .build())
                .toList();
    }
}
