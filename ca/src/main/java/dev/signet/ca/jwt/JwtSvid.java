package dev.signet.ca.jwt;

import dev.signet.ca.spiffe.SpiffeId;
import java.time.Instant;
import java.util.List;

/** A signed JWT-SVID, compact form in {@code token}, and what it says. */
public record JwtSvid(String token, SpiffeId id, List<String> audience, Instant expiresAt, String keyId) {

    public JwtSvid {
        audience = List.copyOf(audience);
    }

    /** Never prints the token: it is a bearer credential. */
    @Override
    public String toString() {
        return "JwtSvid[" + id + ", aud " + audience + ", exp " + expiresAt + ", kid " + keyId + "]";
    }
}
