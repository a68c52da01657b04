package dev.signet.ca.authority;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A CA on disk, in the file layout of Istio's plug-in CA ({@code cacerts}) so that existing material loads as is:
 * {@code ca-cert.pem} and {@code ca-key.pem} (the signer), {@code cert-chain.pem} (signer up to the root),
 * {@code root-cert.pem}, and optionally {@code root-key.pem} (kept for cross-signing in a rotation).
 */
public final class CaDirectory {

    public static final String CA_CERT = CaMaterial.CA_CERT;
    public static final String CA_KEY = CaMaterial.CA_KEY;
    public static final String CERT_CHAIN = CaMaterial.CERT_CHAIN;
    public static final String ROOT_CERT = CaMaterial.ROOT_CERT;
    public static final String ROOT_KEY = CaMaterial.ROOT_KEY;

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
    public record Contents(SigningAuthority signer, Optional<java.security.PrivateKey> rootKey) {}

    public Contents load(CryptoProviders providers) {
        return read().load(providers);
    }

    /** The files as they are on disk (absent ones left out). */
    public CaMaterial read() {
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        for (String name : CaMaterial.NAMES) {
            Path file = directory.resolve(name);
            if (Files.exists(file)) {
                files.put(name, read(name));
            }
        }
        return new CaMaterial(files, directory.toString());
    }

    /**
     * Writes a freshly minted authority. Keys are readable by the owner only. Existing files are refused unless
     * {@code overwrite}, so that a second {@code init} never silently replaces a CA in use.
     */
    public void save(MintedAuthority authority, boolean overwrite) {
        CaMaterial material = CaMaterial.of(authority, directory.toString());
        try {
            Files.createDirectories(directory);
            if (!overwrite) {
                for (String name : List.of(CA_CERT, CA_KEY, CERT_CHAIN, ROOT_CERT, ROOT_KEY)) {
                    if (Files.exists(directory.resolve(name))) {
                        throw new FileAlreadyExistsException(
                                directory.resolve(name).toString(),
                                null,
                                "a CA already exists here; pass --force to replace it");
                    }
                }
            }
            for (String name : List.of(ROOT_KEY, CA_KEY, ROOT_CERT, CA_CERT, CERT_CHAIN)) {
                write(name, material.files().get(name), name.endsWith("-key.pem"));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String read(String name) {
        Path file = directory.resolve(name);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CaException(Reason.INVALID_AUTHORITY, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(String name, String content, boolean secret) throws IOException {
        AtomicFiles.write(directory.resolve(name), content, secret);
    }
}
