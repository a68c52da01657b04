package dev.signet.ca.jwt;

import dev.signet.ca.crypto.CryptoProviders;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
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
    /** The signature the providers all have (Conscrypt has no P1363 form): DER, turned into r || s here. */
    private static final String DER_ALGORITHM = "SHA256withECDSA";

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");

    private final PrivateKey privateKey;
    private final Provider provider;
    private final JwtKey publicKey;

    private JwtSigningKey(PrivateKey privateKey, Provider provider, JwtKey publicKey) {
        this.privateKey = privateKey;
        this.provider = provider;
        this.publicKey = publicKey;
    }

    /** The key derived from {@code secret}, signing with the JDK's provider. */
    public static JwtSigningKey derivedFrom(PrivateKey secret) {
        return derivedFrom(secret, null);
    }

    /**
     * The key derived from {@code secret} (an EC or RSA private key): the same secret gives the same key. It signs
     * with {@code providers}' fastest ECDSA (Conscrypt where it loads), or the JDK's when null.
     */
    public static JwtSigningKey derivedFrom(PrivateKey secret, CryptoProviders providers) {
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
            PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(d, spec));
            ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(
                    new java.security.spec.ECPoint(
                            q.getAffineXCoord().toBigInteger(),
                            q.getAffineYCoord().toBigInteger()),
                    spec));
            Provider provider = null;
            if (providers != null) {
                provider = providers.forSignature(DER_ALGORITHM);
                privateKey = providers.signingKey(privateKey);
            }
            return new JwtSigningKey(privateKey, provider, JwtKey.of(publicKey));
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

    /** ES256 over {@code input}: ECDSA P-256 with SHA-256, the signature as r || s (RFC 7518). */
    byte[] sign(byte[] input) {
        try {
            Signature signature = provider == null
                    ? Signature.getInstance(DER_ALGORITHM)
                    : Signature.getInstance(DER_ALGORITHM, provider);
            signature.initSign(privateKey);
            signature.update(input);
            ASN1Sequence pair = ASN1Sequence.getInstance(signature.sign());
            byte[] joined = new byte[2 * JwtKey.COORDINATE];
            System.arraycopy(
                    JwtKey.unsigned(ASN1Integer.getInstance(pair.getObjectAt(0)).getValue()),
                    0,
                    joined,
                    0,
                    JwtKey.COORDINATE);
            System.arraycopy(
                    JwtKey.unsigned(ASN1Integer.getInstance(pair.getObjectAt(1)).getValue()),
                    0,
                    joined,
                    JwtKey.COORDINATE,
                    JwtKey.COORDINATE);
            return joined;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
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
