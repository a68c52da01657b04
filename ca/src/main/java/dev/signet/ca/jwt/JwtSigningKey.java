package dev.signet.ca.jwt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The key an authority signs JWT-SVIDs with. It is derived (HKDF-SHA-256, RFC 5869) from the authority's secret key
 * rather than stored: each replica that loads the CA derives the same key with nothing more to keep in a Secret, and
 * it comes and goes with its authority, so a root rotation's phases publish it before it signs and retire it with
 * the root. A separate key, never the CA key itself: a signature made for one protocol can then never be replayed as
 * one of the other.
 */
public final class JwtSigningKey {

    private static final byte[] SALT = "signet jwt-svid signing key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "P-256 v1".getBytes(StandardCharsets.US_ASCII);
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");

    private final ECPrivateKey privateKey;
    private final JwtKey publicKey;

    private JwtSigningKey(ECPrivateKey privateKey, JwtKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The key derived from {@code secret} (an EC or RSA private key): the same secret gives the same key. */
    public static JwtSigningKey derivedFrom(PrivateKey secret) {
        BigInteger n = CURVE.getN();
        // 48 bytes reduced modulo n-1: the bias is below 2^-128 (FIPS 186-5 A.2.1).
        byte[] okm = hkdf(secretValue(secret), 48);
        BigInteger d = new BigInteger(1, okm).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        ECPoint q = new FixedPointCombMultiplier().multiply(CURVE.getG(), d).normalize();
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new ECPrivateKeySpec(d, spec));
            ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(
                    new java.security.spec.ECPoint(
                            q.getAffineXCoord().toBigInteger(),
                            q.getAffineYCoord().toBigInteger()),
                    spec));
            return new JwtSigningKey(privateKey, JwtKey.of(publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available in this JDK", e);
        }
    }

    public JwtKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return publicKey.keyId();
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    private static byte[] secretValue(PrivateKey secret) {
        BigInteger value;
        if (secret instanceof ECPrivateKey ec) {
            value = ec.getS();
        } else if (secret instanceof RSAPrivateKey rsa) {
            value = rsa.getPrivateExponent();
        } else {
            byte[] encoded = secret.getEncoded();
            if (encoded == null) {
                throw new IllegalArgumentException(
                        "the " + secret.getAlgorithm() + " key cannot be read to derive a " + "JWT-SVID key from");
            }
            return encoded;
        }
        return value.toByteArray();
    }

    private static byte[] hkdf(byte[] inputKey, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
            byte[] pseudoRandomKey = mac.doFinal(inputKey);
            mac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int filled = 0;
            for (int i = 1; filled < length; i++) {
                mac.update(block);
                mac.update(INFO);
                mac.update((byte) i);
                block = mac.doFinal();
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available in this JDK", e);
        }
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "JwtSigningKey[" + publicKey.keyId() + "]";
    }
}
