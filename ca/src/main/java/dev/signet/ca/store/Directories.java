package dev.signet.ca.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole directory trees: what a retired CA, a demo's or a benchmark's scratch space leaves behind. */
public final class Directories {

    private Directories() {}

    /** Told of each path before it is deleted. */
    @FunctionalInterface
    public interface BeforeDelete {
        void before(Path path) throws IOException;
    }

    /** Deletes {@code root} and everything below it, deepest first; nothing happens when it is not there. */
    public static void delete(Path root) throws IOException {
        delete(root, path -> {});
    }

    /** {@link #delete(Path)}, telling {@code before} of each path first. */
    public static void delete(Path root, BeforeDelete before) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                before.before(path);
                Files.deleteIfExists(path);
            }
        }
    }
}
