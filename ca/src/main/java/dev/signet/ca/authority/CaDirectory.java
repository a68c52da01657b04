package dev.signet.ca.authority;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A CA on disk, in the file layout of Istio's plug-in CA ({@code cacerts}) so that existing material loads as is:
 * {@code ca-cert.pem} and {@code ca-key.pem} (the signer), {@code cert-chain.pem} (signer up to the root),
 * {@code root-cert.pem}, and optionally {@code root-key.pem} (kept for cross-signing in a rotation).
 */
public final class CaDirectory {

    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final String ROOT_KEY = "root-key.pem";

    private final Path directory;

    public CaDirectory(Path directory) {
        this.directory = directory;
    }

    public Path path() {
        return directory;
    }

    /** True when the directory holds a signer to load. */
    public boolean exists() {
        return Files.isRegularFile(directory.resolve(CA_CERT)) && Files.isRegularFile(directory.resolve(CA_KEY));
    }

    /** What a loaded directory holds: the checked signing authority, and the root key if it was there. */
    public record Contents(SigningAuthority signer, Optional<PrivateKey> rootKey) {
    }

    public Contents load(CryptoProviders providers) {
        List<X509Certificate> signerCertificates = Pem.certificates(read(CA_CERT));
        X509Certificate signerCertificate = signerCertificates.get(0);
        PrivateKey signerKey = Pem.privateKey(read(CA_KEY), providers.bouncyCastle());
        List<X509Certificate> roots = Pem.certificates(read(ROOT_CERT));
        if (roots.size() != 1) {
            throw new CaException(Reason.INVALID_AUTHORITY,
                    directory.resolve(ROOT_CERT) + " must hold exactly one certificate, holds " + roots.size());
        }
        X509Certificate root = roots.get(0);
        List<X509Certificate> intermediates = new ArrayList<>();
        if (Files.exists(directory.resolve(CERT_CHAIN))) {
            for (X509Certificate certificate : Pem.certificates(read(CERT_CHAIN))) {
                if (!certificate.equals(signerCertificate) && !certificate.equals(root)) {
                    intermediates.add(certificate);
                }
            }
        }
        SigningAuthority signer = SigningAuthority.of(new CertifiedKey(signerCertificate, signerKey), intermediates,
                root, providers);
        Optional<PrivateKey> rootKey = Files.exists(directory.resolve(ROOT_KEY))
                ? Optional.of(Pem.privateKey(read(ROOT_KEY), providers.bouncyCastle()))
                : Optional.empty();
        return new Contents(signer, rootKey);
    }

    /**
     * Writes a freshly minted authority. Keys are readable by the owner only. Existing files are refused unless
     * {@code overwrite}, so that a second {@code init} never silently replaces a CA in use.
     */
    public void save(MintedAuthority authority, boolean overwrite) {
        SigningAuthority signer = authority.signer();
        List<X509Certificate> chainToRoot = new ArrayList<>(signer.chain());
        chainToRoot.add(signer.root());
        try {
            Files.createDirectories(directory);
            if (!overwrite) {
                for (String name : List.of(CA_CERT, CA_KEY, CERT_CHAIN, ROOT_CERT, ROOT_KEY)) {
                    if (Files.exists(directory.resolve(name))) {
                        throw new FileAlreadyExistsException(directory.resolve(name).toString(), null,
                                "a CA already exists here; pass --force to replace it");
                    }
                }
            }
            write(ROOT_KEY, Pem.encode(authority.root().privateKey()), true);
            write(CA_KEY, Pem.encode(signer.certifiedKey().privateKey()), true);
            write(ROOT_CERT, Pem.encode(signer.root()), false);
            write(CA_CERT, Pem.encode(signer.certificate()), false);
            write(CERT_CHAIN, Pem.encode(chainToRoot), false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String read(String name) {
        Path file = directory.resolve(name);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new CaException(Reason.INVALID_AUTHORITY, "missing " + file);
        } catch (IOException e) {
            throw new CaException(Reason.INVALID_AUTHORITY, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(String name, String content, boolean secret) throws IOException {
        AtomicFiles.write(directory.resolve(name), content, secret);
    }
}
