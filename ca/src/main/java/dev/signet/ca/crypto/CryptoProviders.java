package dev.signet.ca.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Chooses the JCA provider for each operation. Instances are created explicitly and passed along; nothing is
 * registered in {@link java.security.Security}, so tests can compare providers side by side, with one exception:
 * {@link #certificatePathSignatures()}.
 */
public final class CryptoProviders {

    /** The name Conscrypt's provider registers under. */
    private static final String CONSCRYPT = "Conscrypt";

    private final Provider fast;
    private final Provider bouncyCastle;

    private CryptoProviders(Provider fast, Provider bouncyCastle) {
        this.fast = fast;
        this.bouncyCastle = bouncyCastle;
    }

    /** Conscrypt when its native library loads on this machine, else Bouncy Castle alone. */
    public static CryptoProviders detect() {
        Provider bc = new BouncyCastleProvider();
        return new CryptoProviders(loadConscrypt().orElse(bc), bc);
    }

    /** Bouncy Castle for everything: the portable path, and the reference the benchmarks compare against. */
    public static CryptoProviders bouncyCastleOnly() {
        Provider bc = new BouncyCastleProvider();
        return new CryptoProviders(bc, bc);
    }

    private static Optional<Provider> loadConscrypt() {
        try {
            if (org.conscrypt.Conscrypt.isAvailable()) {
                return Optional.of(org.conscrypt.Conscrypt.newProvider());
            }
        } catch (LinkageError | RuntimeException e) {
            // No native library for this platform: Bouncy Castle serves instead.
        }
        return Optional.empty();
    }

    /**
     * The name of a registered provider that checks certificate signatures natively, for a PKIX validation's
     * {@code setSigProvider}, which takes a name only; empty when none loads here. Conscrypt is appended after every
     * other provider, so that no lookup naming no provider changes: in a TLS handshake it is the difference between
     * the JDK's P-256 arithmetic in Java and BoringSSL's for each client certificate, which is most of a control
     * plane's work while thousands of proxies reconnect.
     */
    public static Optional<String> certificatePathSignatures() {
        if (java.security.Security.getProvider(CONSCRYPT) != null) {
            return Optional.of(CONSCRYPT); // registered by an earlier call: not loaded again for each trust manager
        }
        Optional<Provider> conscrypt = loadConscrypt();
        conscrypt.ifPresent(java.security.Security::addProvider);
        return conscrypt.map(Provider::getName);
    }

    /** The provider for a signature algorithm (e.g. {@code SHA256withECDSA}, {@code Ed25519}). */
    public Provider forSignature(String algorithm) {
        return fast.getService("Signature", algorithm) != null ? fast : bouncyCastle;
    }

    public Provider forKeyGeneration(String keyAlgorithm) {
        return fast.getService("KeyPairGenerator", keyAlgorithm) != null ? fast : bouncyCastle;
    }

    /** Bouncy Castle, for what only it does (PEM key conversion, certificate building). */
    public Provider bouncyCastle() {
        return bouncyCastle;
    }

    /** The name of the provider that signs and verifies ECDSA, for logs and benchmark output. */
    public String signingProviderName() {
        return forSignature("SHA256withECDSA").getName();
    }

    /**
     * The provider that both decodes {@code keyAlgorithm} keys and verifies {@code signatureAlgorithm}: a key from
     * one provider is not always accepted by another's signature engine.
     */
    public Provider forVerification(String signatureAlgorithm, String keyAlgorithm) {
        boolean fastHasBoth = fast.getService("Signature", signatureAlgorithm) != null
                && fast.getService("KeyFactory", keyAlgorithm) != null;
        return fastHasBoth ? fast : bouncyCastle;
    }

    /**
     * An X.509 SubjectPublicKeyInfo as a key for {@code provider}'s signature engine. Conscrypt takes the bytes as
     * they are and parses them in BoringSSL (which refuses a point off the curve); its KeyFactory would also build the
     * curve's Java parameters, converting the generator to affine coordinates, which a verification never reads and
     * which cost about a tenth of an issuance. Other providers get a key from their own KeyFactory.
     */
    public static PublicKey verificationKey(Provider provider, String keyAlgorithm, byte[] subjectPublicKeyInfo)
            throws GeneralSecurityException {
        if (CONSCRYPT.equals(provider.getName())) {
            return new EncodedPublicKey(keyAlgorithm, subjectPublicKeyInfo);
        }
        return KeyFactory.getInstance(keyAlgorithm, provider)
                .generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
    }

    /**
     * Re-imports a private key into the provider that will sign with it, so that signing never pays for a key
     * translation per call.
     */
    public PrivateKey signingKey(PrivateKey key) {
        try {
            return keyFactory(key.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            return key;
        }
    }

    private KeyFactory keyFactory(String keyAlgorithm) throws GeneralSecurityException {
        String algorithm = "ECDSA".equals(keyAlgorithm) ? "EC" : keyAlgorithm;
        Provider provider = fast.getService("KeyFactory", algorithm) != null ? fast : bouncyCastle;
        return KeyFactory.getInstance(algorithm, provider);
    }
}
