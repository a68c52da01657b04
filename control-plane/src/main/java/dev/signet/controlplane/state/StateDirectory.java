package dev.signet.controlplane.state;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.store.AtomicFiles;
import dev.signet.ca.store.Directories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    /**
     * Creates {@code directory} owner-only when it is not there: it holds the CA's keys and the admin credential.
     * An existing directory is left as its owner set it up.
     */
    public static void createPrivate(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    public Path rootCertFile() {
        return directory.resolve(ROOT_CERT);
    }

    public Path caDirectory() {
        return directory.resolve("ca");
    }

    /** Rotations' records and CAs. */
    public Path rotationDirectory() {
        return directory.resolve("rotation");
    }

    /** A rotation's new CA until it completes. */
    public Path candidateDirectory() {
        return rotationDirectory().resolve("next");
    }

    /** Where a candidate is written before it is renamed into {@link #candidateDirectory()}. */
    Path stagingDirectory(long millis) {
        return unused(rotationDirectory().resolve("staging"), millis);
    }

    /** Where a CA that is to be deleted is moved first, so that deleting it can never leave half a CA in use. */
    Path retiredDirectory(long millis) {
        return unused(rotationDirectory().resolve("retired"), millis);
    }

    /** Where a retired CA is kept on request. */
    Path archiveDirectory(long millis) {
        return unused(rotationDirectory().resolve("archive"), millis);
    }

    /** {@code parent/<millis>}, or {@code parent/<millis>-<n>} when that is taken (two steps in one millisecond). */
    private static Path unused(Path parent, long millis) {
        Path candidate = parent.resolve(Long.toString(millis));
        for (int n = 1; Files.exists(candidate); n++) {
            candidate = parent.resolve(millis + "-" + n);
        }
        return candidate;
    }

    /**
     * Finishes what a crash interrupted, before anything is loaded: a promotion that moved {@code ca/} aside but not
     * yet {@code next/} in is completed (minting there would replace the mesh's root), and CAs set aside to be
     * deleted or candidates half staged are deleted.
     */
    void recover() throws IOException {
        if (!Files.exists(caDirectory()) && new CaDirectory(candidateDirectory()).exists()) {
            Files.move(candidateDirectory(), caDirectory(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Directories.delete(rotationDirectory().resolve("retired"));
        Directories.delete(rotationDirectory().resolve("staging"));
    }

    /** The CA in {@code ca/}, minted (ECDSA P-256) on the first start, after {@link #recover() recovery}. */
    public CaDirectory.Contents loadOrCreateCa(
            String trustDomain, CryptoProviders providers, Clock clock, SecureRandom random) throws IOException {
        CaDirectory ca = new CaDirectory(caDirectory());
        recover();
        if (!ca.exists()) {
            createPrivate(directory);
            ca.save(new AuthorityMinter(providers, clock, random).mint(trustDomain, KeyType.EC_P256), false);
        }
        return ca.load(providers);
    }

    public KeyPair loadOrCreateTokenKey(CryptoProviders providers, SecureRandom random) throws IOException {
        createPrivate(directory);
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
            return KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the token signing key is not an EC key", e);
        }
    }

    private static PublicKey publicKeyOf(ECPrivateKey key) {
        try {
            var params = key.getParams();
            var bcSpec = org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertSpec(params);
            var point = bcSpec.getG().multiply(key.getS()).normalize();
            var w = new java.security.spec.ECPoint(
                    point.getAffineXCoord().toBigInteger(),
                    point.getAffineYCoord().toBigInteger());
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the token key's public half", e);
        }
    }
}
