package dev.signet.ca.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.ca.crypto.BigEndian;
import dev.signet.ca.jwt.JwtKey;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;

/**
 * A trust bundle as a SPIFFE bundle (SPIFFE Trust Domain and Bundle spec): a JWK set whose keys have
 * {@code use: x509-svid} and carry the root in {@code x5c}, then the JWT-SVID keys ({@code use: jwt-svid}, with their
 * {@code kid}), with {@code spiffe_sequence} set to the bundle version.
 */
public final class SpiffeBundleJson {

    private final ObjectMapper mapper;

    public SpiffeBundleJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The bundle with its version as {@code spiffe_sequence}. */
    public String write(TrustBundle bundle, Duration refreshHint) {
        return write(bundle.roots(), bundle.jwtKeys(), java.util.OptionalLong.of(bundle.version()), refreshHint);
    }

    /** {@code roots} as a SPIFFE bundle; without a sequence number when none is known (roots read from a file). */
    public String write(java.util.List<X509Certificate> roots, java.util.OptionalLong sequence, Duration refreshHint) {
        return write(roots, java.util.List.of(), sequence, refreshHint);
    }

    /** Only the JWT-SVID keys, as the Workload API's {@code FetchJWTBundles} sends a bundle. */
    public byte[] writeJwtKeys(java.util.List<JwtKey> jwtKeys) {
        ObjectNode document = mapper.createObjectNode();
        ArrayNode keys = document.putArray("keys");
        jwtKeys.forEach(key -> keys.add(jwk(key)));
        try {
            return mapper.writeValueAsBytes(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The roots ({@code use: x509-svid}) and JWT-SVID keys ({@code use: jwt-svid}) as a SPIFFE bundle. */
    public String write(
            java.util.List<X509Certificate> roots,
            java.util.List<JwtKey> jwtKeys,
            java.util.OptionalLong sequence,
            Duration refreshHint) {
        ObjectNode document = mapper.createObjectNode();
        ArrayNode keys = document.putArray("keys");
        for (X509Certificate root : roots) {
            keys.add(jwk(root));
        }
        jwtKeys.forEach(key -> keys.add(jwk(key)));
        sequence.ifPresent(number -> document.put("spiffe_sequence", number));
        document.put("spiffe_refresh_hint", refreshHint.toSeconds());
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode jwk(JwtKey jwtKey) {
        ObjectNode key = mapper.createObjectNode();
        key.put("use", "jwt-svid");
        key.put("kty", "EC");
        key.put("kid", jwtKey.keyId());
        key.put("crv", "P-256");
        key.put("x", jwtKey.x());
        key.put("y", jwtKey.y());
        return key;
    }

    private ObjectNode jwk(X509Certificate root) {
        ObjectNode key = mapper.createObjectNode();
        key.put("use", "x509-svid");
        PublicKey publicKey = root.getPublicKey();
        if (publicKey instanceof ECPublicKey ec) {
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            key.put("kty", "EC");
            key.put("crv", size == 32 ? "P-256" : size == 48 ? "P-384" : "P-521");
            key.put("x", base64Url(unsigned(ec.getW().getAffineX(), size)));
            key.put("y", base64Url(unsigned(ec.getW().getAffineY(), size)));
        } else if (publicKey instanceof RSAPublicKey rsa) {
            key.put("kty", "RSA");
            key.put("n", base64Url(unsigned(rsa.getModulus(), (rsa.getModulus().bitLength() + 7) / 8)));
            key.put(
                    "e",
                    base64Url(unsigned(
                            rsa.getPublicExponent(), (rsa.getPublicExponent().bitLength() + 7) / 8)));
        } else {
            throw new IllegalArgumentException("no JWK form for a " + publicKey.getAlgorithm() + " root key");
        }
        try {
            key.putArray("x5c").add(Base64.getEncoder().encodeToString(root.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return key;
    }

    private static byte[] unsigned(BigInteger value, int length) {
        return BigEndian.unsigned(value, length);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
