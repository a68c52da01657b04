package dev.signet.ca.jwt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.ca.spiffe.SpiffeId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Mints JWT-SVIDs (SPIFFE JWT-SVID specification): ES256, the signing key's id in {@code kid}, {@code sub} the SPIFFE
 * ID, {@code aud} always an array, {@code exp} and {@code iat}. Every token lives {@code ttl}: the Workload API lets
 * no client choose, and a rotation waits out exactly this long before it retires a key. Thread-safe.
 */
public final class JwtSvidIssuer {

    /** The lifetime the JWT-SVID specification's examples and SPIRE use: short, since a bearer token can be replayed. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** The longest lifetime the CA accepts as its setting. */
    public static final Duration MAX_TTL = Duration.ofHours(1);

    static final String ALGORITHM = "ES256";
    /** The JDK's name for ECDSA with the signature as r || s, the form JWS (RFC 7518) uses. */
    static final String JCA_ALGORITHM = "SHA256withECDSAinP1363Format";

    private final Clock clock;
    private final Duration ttl;
    private final ObjectMapper mapper;

    public JwtSvidIssuer(Clock clock, Duration ttl, ObjectMapper mapper) {
        if (ttl.compareTo(Duration.ofSeconds(30)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a JWT-SVID lifetime must be between 30s and " + MAX_TTL.toMinutes()
                    + "m, not " + dev.signet.ca.HumanDuration.format(ttl));
        }
        this.clock = clock;
        this.ttl = ttl;
        this.mapper = mapper;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Signs a token for {@code id} (already decided by the caller's authentication) naming {@code audience}. */
    public JwtSvid issue(JwtSigningKey key, SpiffeId id, List<String> audience) {
        List<String> checked = Audiences.check(audience);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(ttl);
        ObjectNode header = mapper.createObjectNode();
        header.put("alg", ALGORITHM);
        header.put("kid", key.keyId());
        header.put("typ", "JWT");
        ObjectNode claims = mapper.createObjectNode();
        claims.put("sub", id.uri());
        checked.forEach(claims.putArray("aud")::add);
        claims.put("exp", expires.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        String signingInput = encode(header) + "." + encode(claims);
        String token =
                signingInput + "." + JwtKey.base64Url(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        return new JwtSvid(token, id, checked, expires, key.keyId());
    }

    private String encode(ObjectNode node) {
        try {
            return JwtKey.base64Url(mapper.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
