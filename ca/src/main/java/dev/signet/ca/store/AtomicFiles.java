package dev.signet.ca.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file by writing a temporary one beside it and renaming it over the target: readers (gRPC's file
 * watcher, Envoy, openssl) see the old file or the new one, never a partial one. Secrets are owner-only from the
 * moment the temporary file exists.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** One file to replace: where, what, and whether it is a secret (owner-only). */
    public record Replacement(Path target, String content, boolean secret) {
    }

    public static void write(Path target, String content, boolean secret) throws IOException {
        writeAll(java.util.List.of(new Replacement(target, content, secret)));
    }

    /**
     * Replaces several files that belong together (a key and its certificate): every new file is written first, then
     * the renames follow one another, so a reader that picks the files up between two of them (gRPC re-reads them
     * every few seconds) sees a mismatched pair for microseconds, not for the time it takes to write a file.
     */
    public static void writeAll(java.util.List<Replacement> replacements) throws IOException {
        java.util.List<Path> temporaries = new java.util.ArrayList<>();
        try {
            for (Replacement replacement : replacements) {
                Path directory = replacement.target().toAbsolutePath().getParent();
                Files.createDirectories(directory);
                Path temporary = Files.createTempFile(directory, "." + replacement.target().getFileName(), ".tmp");
                temporaries.add(temporary);
                if (temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(temporary,
                            PosixFilePermissions.fromString(replacement.secret() ? "rw-------" : "rw-r--r--"));
                }
                Files.writeString(temporary, replacement.content(), StandardCharsets.US_ASCII);
            }
            for (int i = 0; i < replacements.size(); i++) {
                try {
                    Files.move(temporaries.get(i), replacements.get(i).target(), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporaries.get(i), replacements.get(i).target(), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            for (Path temporary : temporaries) {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
