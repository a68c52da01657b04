package dev.signet.agent;

import dev.signet.ca.crypto.KeyFit;
import dev.signet.ca.crypto.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The three files workloads read (gRPC's {@code file_watcher} provider, Envoy, or the application). They change
 * together, by one switch of a {@link VersionedDirectory}: a reader sees the old set or the new one, never a key with a
 * certificate it does not fit. The key is owner-only.
 */
public final class CredentialFiles {

    public static final String CERT_CHAIN = "cert-chain.pem";
    public static final String KEY = "key.pem";
    public static final String ROOT_CERT = "root-cert.pem";

    private final Path directory;
    private final VersionedDirectory files;

    public CredentialFiles(Path directory) {
        this.directory = directory;
        this.files = new VersionedDirectory(directory, List.of(KEY, CERT_CHAIN, ROOT_CERT));
    }

    public Path directory() {
        return directory;
    }

    public void write(IssuedCredential credential) throws IOException {
        files.publish(Map.of(
                KEY, new VersionedDirectory.Content(Pem.encode(credential.key()), true),
                CERT_CHAIN, new VersionedDirectory.Content(Pem.encode(credential.chain()), false),
                ROOT_CERT, new VersionedDirectory.Content(Pem.encode(credential.roots()), false)));
    }

    /**
     * Replaces only the trust bundle: a root rotation's new bundle, before any leaf under the new root exists. The key
     * and certificate keep their files and times, so watchers reload the roots only.
     */
    public void writeRoots(List<X509Certificate> roots) throws IOException {
        files.publish(Map.of(ROOT_CERT, new VersionedDirectory.Content(Pem.encode(roots), false)));
    }

    /**
     * The credential a previous run left, when all three files are there and the key fits the certificate: after a
     * restart the agent renews it by name, so the CA knows the old leaf is out of use.
     */
    public Optional<IssuedCredential> read() {
        try {
            List<X509Certificate> chain =
                    Pem.certificates(Files.readString(directory.resolve(CERT_CHAIN), StandardCharsets.US_ASCII));
            PrivateKey key;
            try (InputStream in = Files.newInputStream(directory.resolve(KEY))) {
                key = io.grpc.util.CertificateUtils.getPrivateKey(in);
            }
            List<X509Certificate> roots =
                    Pem.certificates(Files.readString(directory.resolve(ROOT_CERT), StandardCharsets.US_ASCII));
            if (chain.isEmpty()
                    || roots.isEmpty()
                    || !KeyFit.fitsQuietly(key, chain.get(0).getPublicKey())) {
                return Optional.empty();
            }
            String id =
                    dev.signet.ca.spiffe.SpiffeId.fromCertificate(chain.get(0)).uri();
            return Optional.of(new IssuedCredential(key, chain, roots, 0, id));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
