package dev.signet.agent;

import dev.signet.ca.crypto.KeyFit;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three files workloads read (gRPC's {@code file_watcher} provider, Envoy, or the application), each replaced
 * atomically by a rename, so that a reader never sees half a file. The key is owner-only.
 */
public final class CredentialFiles {

    public static final String CERT_CHAIN = "cert-chain.pem";
    public static final String KEY = "key.pem";
    public static final String ROOT_CERT = "root-cert.pem";

    private final Path directory;

    public CredentialFiles(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public void write(IssuedCredential credential) throws IOException {
        Files.createDirectories(directory);
        // All three written first, then renamed back to back (key first): a watcher reading in between would pair a
        // key with a certificate it does not fit, and handshakes would fail until its next re-read.
        AtomicFiles.writeAll(java.util.List.of(
                new AtomicFiles.Replacement(directory.resolve(KEY), Pem.encode(credential.key()), true),
                new AtomicFiles.Replacement(directory.resolve(CERT_CHAIN), Pem.encode(credential.chain()), false),
                new AtomicFiles.Replacement(directory.resolve(ROOT_CERT), Pem.encode(credential.roots()), false)));
    }

    /** Replaces only the trust bundle: a root rotation's new bundle, before any leaf under the new root exists. */
    public void writeRoots(java.util.List<java.security.cert.X509Certificate> roots) throws IOException {
        Files.createDirectories(directory);
        replace(ROOT_CERT, Pem.encode(roots), false);
    }

    /**
     * The credential a previous run left, when all three files are there and the key fits the certificate: after a
     * restart the agent renews it by name, so the CA knows the old leaf is out of use.
     */
    public java.util.Optional<IssuedCredential> read() {
        try {
            java.util.List<java.security.cert.X509Certificate> chain = Pem.certificates(
                    Files.readString(directory.resolve(CERT_CHAIN), java.nio.charset.StandardCharsets.US_ASCII));
            java.security.PrivateKey key;
            try (java.io.InputStream in = Files.newInputStream(directory.resolve(KEY))) {
                key = io.grpc.util.CertificateUtils.getPrivateKey(in);
            }
            java.util.List<java.security.cert.X509Certificate> roots = Pem.certificates(
                    Files.readString(directory.resolve(ROOT_CERT), java.nio.charset.StandardCharsets.US_ASCII));
            if (chain.isEmpty() || roots.isEmpty() || !KeyFit.fitsQuietly(key, chain.get(0).getPublicKey())) {
                return java.util.Optional.empty();
            }
            String id = dev.signet.ca.spiffe.SpiffeId.fromCertificate(chain.get(0)).uri();
            return java.util.Optional.of(new IssuedCredential(key, chain, roots, 0, id));
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private void replace(String name, String content, boolean secret) throws IOException {
        AtomicFiles.write(directory.resolve(name), content, secret);
    }
}
