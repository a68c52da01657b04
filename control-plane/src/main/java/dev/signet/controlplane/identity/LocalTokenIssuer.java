package dev.signet.controlplane.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Standalone mode's stand-in for Kubernetes' TokenRequest: ES256 JWTs shaped like projected service-account tokens
 * (subject {@code system:serviceaccount:<ns>:<sa>}, audience, expiry), signed by a key the control plane keeps.
 */
public final class LocalTokenIssuer {

    public static final String ISSUER = "https://signet.local/standalone";
    public static final String DEFAULT_AUDIENCE = "signet-ca";

    private final KeyPair key;
    private final String keyId;
    private final Clock clock;

    public LocalTokenIssuer(KeyPair key, Clock clock) {
        this.key = key;
        this.keyId = HexFormat.of()
                .formatHex(
                        key.getPublic().getEncoded(),
                        key.getPublic().getEncoded().length - 8,
                        key.getPublic().getEncoded().length);
        this.clock = clock;
    }

    public String issue(WorkloadIdentity identity, Duration ttl, String audience) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(ServiceAccountSubject.of(identity))
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim(
                        "kubernetes.io",
                        Map.of(
                                "namespace",
                                identity.namespace(),
                                "serviceaccount",
                                Map.of("name", identity.serviceAccount())))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(JOSEObjectType.JWT)
                        .keyID(keyId)
                        .build(),
                claims);
        try {
            jwt.sign(new ECDSASigner((ECPrivateKey) key.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }
}
