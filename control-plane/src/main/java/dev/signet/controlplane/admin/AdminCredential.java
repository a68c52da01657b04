package dev.signet.controlplane.admin;

import dev.signet.ca.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The credential of the control plane's admin endpoints ({@code /rotation}, {@code /debug}): a random token that the
 * control plane writes, owner-only, into its state directory at every start. Whoever can read it may act as the
 * control plane's admin, which is whoever can read the CA's keys beside it anyway; a caller that merely reaches the
 * port (another local user, a sidecar, a browser page) cannot.
 */
public final class AdminCredential {

    /** The file in the state directory, read by {@code signet rotate}. */
    public static final String FILE = "admin-token";
    /** The HTTP scheme it is presented with: {@code Authorization: Bearer <token>}. */
    public static final String SCHEME = "Bearer ";

    private static final int BYTES = 32;

    private final byte[] token;

    private AdminCredential(String token) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh credential, replacing the one of an earlier start in {@code stateDirectory}. */
    public static AdminCredential issue(Path stateDirectory, SecureRandom random) throws IOException {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        AtomicFiles.write(stateDirectory.resolve(FILE), token + "\n", true);
        return new AdminCredential(token);
    }

    /** True when {@code authorization} (the whole header, or null) presents this credential; in constant time. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith(SCHEME)) {
            return false;
        }
        byte[] presented = authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(token, presented);
    }

    /** The token a running control plane wrote into {@code stateDirectory}, for the CLI to present. */
    public static String read(Path stateDirectory) throws IOException {
        Path file = stateDirectory.resolve(FILE);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new IOException(
                    "no admin credential at " + file + ": is 'signet serve' running with --state-dir " + stateDirectory
                            + "? (pass the same --state-dir here)",
                    e);
        } catch (AccessDeniedException e) {
            throw new IOException(
                    "cannot read the admin credential " + file + ": run this as the user that runs " + "'signet serve'",
                    e);
        }
    }
}
