package dev.signet.controlplane.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.controlplane.identity.AuthenticationException.Reason;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Verifies tokens from {@link LocalTokenIssuer}: ES256 only (no "none", no HMAC, no key from the token), the
 * signature, issuer, audience, and the validity window with a small allowance for clock skew.
 *
 * <p>A token that verified is remembered until it expires: an agent presents the same token for every renewal until
 * it is rotated, and a local token cannot be revoked, so the answer cannot change before then. That keeps the JWT
 * decoding and signature check out of a rotation's wave of renewals. Refusals are never remembered.
 */
public final class LocalTokenAuthenticator implements TokenAuthenticator {

    private static final Duration SKEW = Duration.ofSeconds(30);

    /** Enough for every agent of a large mesh; past it the memory starts over rather than growing. */
    private static final int REMEMBERED = 100_000;

    private record Verified(WorkloadIdentity identity, Instant expiresAt) {}

    private final java.util.Map<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private final ECDSAVerifier verifier;
    private final String audience;
    private final Clock clock;

    /** Verifies with the JDK's own ECDSA: fine for tests, slow under load (see the other constructor). */
    public LocalTokenAuthenticator(ECPublicKey key, String audience, Clock clock) {
        this(key, audience, clock, null);
    }

    /**
     * {@code provider} verifies the signatures (null: the JDK's). The CA passes its fast provider: with the JDK's
     * SunEC, token checks capped the whole CA service near 1,200 requests a second on two cores.
     */
    public LocalTokenAuthenticator(ECPublicKey key, String audience, Clock clock, java.security.Provider provider) {
        try {
            this.verifier = new ECDSAVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("not a usable ES256 key", e);
        }
        if (provider != null) {
            verifier.getJCAContext().setProvider(provider);
        }
        this.audience = audience;
        this.clock = clock;
    }

    /** A local token is checked here, with the key in hand: always at once. */
    @Override
    public boolean answersAtOnce(String token) {
        return true;
    }

    @Override
    public WorkloadIdentity authenticate(String token) throws AuthenticationException {
        if (token != null) {
            Verified known = verified.get(token);
            if (known != null) {
                if (clock.instant().minus(SKEW).isBefore(known.expiresAt())) {
                    return known.identity();
                }
                verified.remove(token);
            }
        }
        if (token == null || token.isEmpty()) {
            throw new AuthenticationException(Reason.MISSING, "no bearer token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationException(
                    Reason.TOO_LARGE, "the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new AuthenticationException(Reason.MALFORMED, "the token is not a signed JWT");
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            throw new AuthenticationException(
                    Reason.WRONG_ALGORITHM,
                    "tokens must be signed with ES256, not " + jwt.getHeader().getAlgorithm());
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new AuthenticationException(Reason.BAD_SIGNATURE, "the token's signature does not verify");
            }
        } catch (JOSEException e) {
            throw new AuthenticationException(Reason.BAD_SIGNATURE, "the token's signature cannot be checked");
        }
        if (!LocalTokenIssuer.ISSUER.equals(claims.getIssuer())) {
            throw new AuthenticationException(Reason.WRONG_ISSUER, "the token was issued by " + claims.getIssuer());
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new AuthenticationException(
                    Reason.WRONG_AUDIENCE,
                    "the token is for audience " + claims.getAudience() + ", not \"" + audience + "\"");
        }
        Instant now = clock.instant();
        Date expiry = claims.getExpirationTime();
        if (expiry == null || !now.minus(SKEW).isBefore(expiry.toInstant())) {
            throw new AuthenticationException(
                    Reason.EXPIRED, "the token expired at " + (expiry == null ? "(no expiry)" : expiry.toInstant()));
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(SKEW).isBefore(notBefore.toInstant())) {
            throw new AuthenticationException(
                    Reason.NOT_YET_VALID, "the token is not valid before " + notBefore.toInstant());
        }
        WorkloadIdentity identity = ServiceAccountSubject.parse(claims.getSubject());
        if (verified.size() >= REMEMBERED) {
            verified.clear();
        }
        verified.put(token, new Verified(identity, expiry.toInstant()));
        return identity;
    }
}
