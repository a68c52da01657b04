package dev.signet.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files that must change together, switched by one rename. Each set lives in a folder of its own ({@code ..<n>}); the
 * symbolic link {@code ..data} points at the current one, and every file name is a link through {@code ..data}. A new
 * set is written in full beside the old one and {@code ..data} is renamed onto it, the way the kubelet updates a
 * mounted Secret.
 *
 * <p>Why not rename the files one by one: gRPC's {@code file_watcher} provider reloads the key and certificate when
 * either file's time changed, so a scan between two renames pairs the new key with the old certificate and keeps that
 * pair until its next scan; every handshake fails meanwhile. With one switch a scan sees the old set or the new one,
 * and a scan that straddles the switch sees the times change under it and tries again. A file the new set does not
 * change is hard-linked from the old set, so its time stays and no watcher reloads it.
 */
final class VersionedDirectory {

    static final String DATA = "..data";

    /** A file of a set: its content and whether it is a secret (owner-only). */
    record Content(String text, boolean secret) {}

    private final Path directory;
    private final List<String> names;

    /** {@code names}: every file of the set, whether or not a given update changes it. */
    VersionedDirectory(Path directory, List<String> names) {
        this.directory = directory;
        this.names = List.copyOf(names);
    }

    /** Switches to a set made of {@code changed} and, for the other names, the current files. */
    void publish(Map<String, Content> changed) throws IOException {
        Files.createDirectories(directory);
        if (current().isEmpty() && names.stream().anyMatch(name -> Files.exists(directory.resolve(name)))) {
            // Plain files of an earlier layout: first the same files behind a link, which no reader can tell apart.
            switchTo(Map.of());
        }
        Path now = switchTo(changed);
        // Earlier sets, and any a crash left half made: only the one ..data points at stays.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "..?*")) {
            for (Path entry : entries) {
                if (!entry.equals(now) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    delete(entry);
                }
            }
        }
    }

    /** The folder {@code ..data} points at, if any. */
    private Optional<Path> current() throws IOException {
        Path data = directory.resolve(DATA);
        if (!Files.isSymbolicLink(data)) {
            return Optional.empty();
        }
        return Optional.of(directory.resolve(Files.readSymbolicLink(data)));
    }

    /**
     * Writes a set and switches to it. The folder is owner-only until the set is complete, and each file is created
     * with its final mode (a secret owner-only from its first instant): a descriptor another user opened in between
     * would keep reading the key whatever the mode became afterwards.
     */
    private Path switchTo(Map<String, Content> changed) throws IOException {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path version = posix
                ? Files.createTempDirectory(
                        directory,
                        "..",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory(directory, "..");
        for (String name : names) {
            Path target = version.resolve(name);
            Content content = changed.get(name);
            if (content != null) {
                if (posix) {
                    String mode = content.secret() ? "rw-------" : "rw-r--r--";
                    Files.createFile(
                            target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
                    // The umask may have narrowed a public file; widening one that holds no secret is harmless.
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
                } else {
                    Files.createFile(target);
                }
                Files.writeString(target, content.text(), StandardCharsets.US_ASCII);
                distinctTime(directory.resolve(name), target);
            } else if (Files.exists(directory.resolve(name))) {
                keep(directory.resolve(name).toRealPath(), target);
            }
        }
        if (posix) {
            // Complete: the workload (perhaps another user) may now reach the files its modes allow.
            Files.setPosixFilePermissions(version, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        replaceWithLink(directory.resolve(DATA), version.getFileName());
        for (String name : names) {
            Path link = directory.resolve(name);
            Path through = Path.of(DATA, name);
            if (!(Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(through))) {
                replaceWithLink(link, through);
            }
        }
        return version;
    }

    /**
     * File times come from a coarse clock (a few milliseconds), and watchers tell versions apart by time alone: a new
     * file written within the same tick as the one it replaces would never be reloaded. It is given a later time.
     */
    private static void distinctTime(Path previous, Path written) throws IOException {
        if (!Files.exists(previous)) {
            return;
        }
        FileTime before = Files.getLastModifiedTime(previous);
        if (Files.getLastModifiedTime(written).compareTo(before) <= 0) {
            Files.setLastModifiedTime(written, FileTime.from(before.toInstant().plusMillis(1)));
        }
    }

    /** The same file in the new set: a hard link keeps its time; a copy keeps it too where links are refused. */
    private static void keep(Path existing, Path target) throws IOException {
        try {
            Files.createLink(target, existing);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(existing, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Makes {@code path} a link to {@code target} by one rename, whatever {@code path} was before. */
    private void replaceWithLink(Path path, Path target) throws IOException {
        Path temporary = directory.resolve(".." + path.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createSymbolicLink(temporary, target);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another writer is switching " + directory, e);
        }
        try {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void delete(Path version) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(version)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(version);
    }
}
