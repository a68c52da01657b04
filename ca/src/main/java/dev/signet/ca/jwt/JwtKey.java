package dev.signet.ca.jwt;

import dev.signet.ca.crypto.BigEndian;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The public half of a JWT-SVID signing key as a trust bundle publishes it: a P-256 key and its key id, the RFC 7638
 * thumbprint of the key (so every replica names the same key the same way, and the id can be checked).
 */
public record JwtKey(String keyId, ECPublicKey publicKey) {

    /** Bytes of a P-256 coordinate. */
    static final int COORDINATE = 32;

    public JwtKey {
        if (publicKey.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("JWT-SVID keys are P-256 keys");
        }
    }

    public static JwtKey of(ECPublicKey publicKey) {
        return new JwtKey(thumbprint(publicKey), publicKey);
    }

    /** A key from its SubjectPublicKeyInfo (DER), as the CA API carries it; its id is computed, never taken. */
    public static JwtKey fromDer(byte[] subjectPublicKeyInfo) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
            if (!(key instanceof ECPublicKey ec)) {
                throw new IllegalArgumentException("not an EC key");
            }
            return of(ec);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 public key: " + e.getMessage(), e);
        }
    }

    public byte[] der() {
        return publicKey.getEncoded();
    }

    /** The {@code x} coordinate, base64url. */
    public String x() {
        return base64Url(unsigned(publicKey.getW().getAffineX()));
    }

    /** The {@code y} coordinate, base64url. */
    public String y() {
        return base64Url(unsigned(publicKey.getW().getAffineY()));
    }

    /** RFC 7638: SHA-256 over the required members in lexical order, without white space. */
    private static String thumbprint(ECPublicKey key) {
        String x = base64Url(unsigned(key.getW().getAffineX()));
        String y = base64Url(unsigned(key.getW().getAffineY()));
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        try {
            return base64Url(
                    MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Big-endian, unsigned, left-padded to 32 bytes, as RFC 7518 requires for EC coordinates. */
    static byte[] unsigned(BigInteger value) {
        return BigEndian.unsigned(value, COORDINATE);
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
