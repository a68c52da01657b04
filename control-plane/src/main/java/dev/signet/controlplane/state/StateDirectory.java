package dev.signet.controlplane.state;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;

/**
 * {@code .signet/}: {@code ca/} (the CA, Istio's plug-in layout), {@code token-signing-key.pem} (the local token
 * issuer's key) and {@code root-cert.pem} (the trust bundle, for agents' {@code --ca-root}). Created on the first
 * start, reused after; keys are owner-only.
 */
public final class StateDirectory {

    public static final String ROOT_CERT = "root-cert.pem";
    private static final String TOKEN_KEY = "token-signing-key.pem";

    private final Path directory;

    public StateDirectory(Path directory) {
        this.directory = directory;
    }

    public Path path() {
        return directory;
    }

    public Path rootCertFile() {
        return directory.resolve(ROOT_CERT);
    }

    public Path caDirectory() {
        return directory.resolve("ca");
    }

    /** A rotation's new CA until it completes. */
    public Path candidateDirectory() {
        return directory.resolve("rotation").resolve("next");
    }

    /** Moves the candidate CA into {@code ca/}, which must be gone: the second step of a rotation's promotion. */
    void completePromotion() throws IOException {
        Files.move(candidateDirectory(), caDirectory(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The CA in {@code ca/}, minted (ECDSA P-256) on the first start. A promotion cut short by a crash (no
     * {@code ca/}, a candidate waiting) is completed first: minting there would replace the mesh's root.
     */
    public CaDirectory.Contents loadOrCreateCa(String trustDomain, CryptoProviders providers, Clock clock, SecureRandom random)
            throws IOException {
        CaDirectory ca = new CaDirectory(caDirectory());
        if (!Files.exists(caDirectory()) && new CaDirectory(candidateDirectory()).exists()) {
            completePromotion();
        }
        if (!ca.exists()) {
            Files.createDirectories(directory);
            ca.save(new AuthorityMinter(providers, clock, random).mint(trustDomain, KeyType.EC_P256), false);
        }
        return ca.load(providers);
    }

    public KeyPair loadOrCreateTokenKey(CryptoProviders providers, SecureRandom random) throws IOException {
        Path file = directory.resolve(TOKEN_KEY);
        if (!Files.exists(file)) {
            KeyPair generated = KeyType.EC_P256.generate(providers, random);
            write(TOKEN_KEY, Pem.encode(generated.getPrivate()), true);
        }
        PrivateKey parsed = Pem.privateKey(Files.readString(file, StandardCharsets.US_ASCII), providers.bouncyCastle());
        // The JWT library signs with the JDK's provider, which wants its own EC key class.
        PrivateKey key = jdkEcKey(parsed);
        return new KeyPair(publicKeyOf((ECPrivateKey) key), key);
    }

    public void writeTrustBundle(TrustBundle bundle) throws IOException {
        write(ROOT_CERT, bundle.toPem(), false);
    }

    private void write(String name, String content, boolean secret) throws IOException {
        AtomicFiles.write(directory.resolve(name), content, secret);
    }

    private static PrivateKey jdkEcKey(PrivateKey key) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the token signing key is not an EC key", e);
        }
    }

    private static PublicKey publicKeyOf(ECPrivateKey key) {
        try {
            var params = key.getParams();
            var bcSpec = org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertSpec(params);
            var point = bcSpec.getG().multiply(key.getS()).normalize();
            var w = new java.security.spec.ECPoint(point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger());
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the token key's public half", e);
        }
    }
}
