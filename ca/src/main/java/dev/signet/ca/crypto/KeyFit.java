package dev.signet.ca.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;

/** Whether a private key is the other half of a public key: a probe signed with one verifies with the other. */
public final class KeyFit {

    private static final byte[] PROBE = "signet key check".getBytes(StandardCharsets.US_ASCII);

    private KeyFit() {}

    /**
     * True when {@code key} signs what {@code publicKey} verifies, using {@code provider} (null: the JDK's choice).
     * Throws when the two cannot be used together at all (another algorithm, a key the provider refuses).
     */
    public static boolean fits(PrivateKey key, PublicKey publicKey, Provider provider) throws GeneralSecurityException {
        String algorithm = SignatureAlgorithmForKey.of(publicKey);
        Signature sign =
                provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
        sign.initSign(key);
        sign.update(PROBE);
        byte[] signature = sign.sign();
        Signature verify =
                provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
        verify.initVerify(publicKey);
        verify.update(PROBE);
        return verify.verify(signature);
    }

    /** {@link #fits}, with a pair that cannot be used together counted as not fitting. */
    public static boolean fitsQuietly(PrivateKey key, PublicKey publicKey) {
        try {
            return fits(key, publicKey, null);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
