package dev.signet.agent;

import java.time.Instant;

/** A JWT-SVID as the CA answered it: the token (compact JWS), whose it is, and when it expires. */
public record JwtToken(String token, String spiffeId, Instant expiresAt) {

    /** Never prints the token: it is a bearer credential. */
    @Override
    public String toString() {
        return "JwtToken[" + spiffeId + ", exp " + expiresAt + "]";
    }
}
