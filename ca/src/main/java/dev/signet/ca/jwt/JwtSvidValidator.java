package dev.signet.ca.jwt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.spiffe.SpiffeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a JWT-SVID the way the JWT-SVID specification asks a validator to: ES256 only (the only algorithm this trust
 * domain's keys sign with; never {@code none}), a {@code kid} the bundle publishes, the signature, an {@code exp} not
 * passed, {@code aud} naming the audience the validator speaks for, and a {@code sub} that is a SPIFFE ID of the
 * trust domain. Every refusal says which check failed.
 */
public final class JwtSvidValidator {

    /** Longer than any token this CA mints (64 audiences of 512 characters come to about 45 KiB), and bounded. */
    public static final int MAX_TOKEN_LENGTH = 64 * 1024;

    /** What a valid token says: its subject and all of its claims. */
    public record Validated(SpiffeId id, JsonNode claims) {}

    private final ObjectMapper mapper;
    private final Clock clock;

    public JwtSvidValidator(ObjectMapper mapper, Clock clock) {
        // Two values for one claim would let a validator and the issuer read different tokens.
        this.mapper = mapper.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.clock = clock;
    }

    /** Validates {@code token} for {@code audience} against {@code keys} of trust domain {@code trustDomain}. */
    public Validated validate(String token, String audience, Collection<JwtKey> keys, String trustDomain) {
        if (audience.isBlank()) {
            throw invalid("an audience to validate for is required");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid("the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid("not a compact JWS: a JWT-SVID has three dot-separated parts, this has " + parts.length);
        }
        JsonNode header = json(parts[0], "header");
        String algorithm = header.path("alg").asText("");
        if (!algorithm.equals(JwtSvidIssuer.ALGORITHM)) {
            throw invalid("algorithm \"" + algorithm + "\" is not accepted; this trust domain signs with ES256");
        }
        String typ = header.path("typ").asText("JWT");
        if (!typ.equals("JWT") && !typ.equals("JOSE")) {
            throw invalid("header typ \"" + typ + "\" is not JWT or JOSE");
        }
        String keyId = header.path("kid").asText("");
        Map<String, JwtKey> byId =
                keys.stream().collect(Collectors.toMap(JwtKey::keyId, Function.identity(), (a, b) -> a));
        JwtKey key = byId.get(keyId);
        if (key == null) {
            throw invalid(
                    keyId.isEmpty()
                            ? "the header has no kid"
                            : "no key \"" + keyId + "\" in the trust bundle of " + trustDomain);
        }
        verify(key, parts[0] + "." + parts[1], decode(parts[2], "signature"));
        JsonNode claims = json(parts[1], "claims");
        SpiffeId subject = subject(claims, trustDomain);
        JsonNode expiry = claims.get("exp");
        if (expiry == null || !expiry.isNumber()) {
            throw invalid("the token has no numeric exp claim");
        }
        if (expiry.asLong() <= clock.instant().getEpochSecond()) {
            throw invalid("the token expired at " + java.time.Instant.ofEpochSecond(expiry.asLong()));
        }
        if (!names(claims.get("aud"), audience)) {
            throw invalid("the token is not for audience \"" + audience + "\"");
        }
        return new Validated(subject, claims);
    }

    private static SpiffeId subject(JsonNode claims, String trustDomain) {
        JsonNode sub = claims.get("sub");
        if (sub == null || !sub.isTextual()) {
            throw invalid("the token has no sub claim");
        }
        SpiffeId id;
        try {
            id = SpiffeId.parse(sub.asText());
        } catch (CaException e) {
            throw invalid("sub is not a SPIFFE ID: " + e.getMessage());
        }
        if (!id.isMemberOf(trustDomain) || id.path().isEmpty()) {
            throw invalid("sub " + id + " is not a workload of trust domain " + trustDomain);
        }
        return id;
    }

    private static boolean names(JsonNode aud, String audience) {
        if (aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return aud.asText().equals(audience);
        }
        if (aud.isArray()) {
            for (JsonNode each : aud) {
                if (each.isTextual() && each.asText().equals(audience)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void verify(JwtKey key, String signingInput, byte[] signature) {
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(JwtSvidIssuer.JCA_ALGORITHM);
            verifier.initVerify(key.publicKey());
            verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            valid = signature.length == 2 * JwtKey.COORDINATE && verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw invalid("the signature does not verify with key \"" + key.keyId() + "\"");
        }
    }

    private JsonNode json(String part, String what) {
        try {
            JsonNode node = mapper.readTree(decode(part, what));
            if (node == null || !node.isObject()) {
                throw invalid("the " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw invalid("the " + what + " is not valid JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                            ? j.getOriginalMessage()
                            : "unreadable"));
        }
    }

    private static byte[] decode(String part, String what) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw invalid("the " + what + " is not base64url");
        }
    }

    private static CaException invalid(String message) {
        return new CaException(Reason.INVALID_JWT_SVID, message);
    }
}
