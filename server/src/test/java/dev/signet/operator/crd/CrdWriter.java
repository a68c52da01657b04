package dev.signet.operator.crd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the CRDs the Java types generate into {@code crds/} and the chart: what {@code tools/crds} runs after a
 * resource class changed. The one argument is the repository's root.
 */
public final class CrdWriter {

    private CrdWriter() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CrdWriter REPOSITORY_ROOT");
        }
        Path root = Path.of(args[0]);
        Path scratch = Files.createTempDirectory("signet-crds");
        try {
            for (Map.Entry<Path, String> crd : CrdRendering.render(scratch).entrySet()) {
                Path file = root.resolve(crd.getKey());
                boolean changed = !Files.exists(file) || !Files.readString(file).equals(crd.getValue());
                Files.createDirectories(file.getParent());
                Files.writeString(file, crd.getValue());
                System.out.println((changed ? "wrote     " : "unchanged ") + crd.getKey());
            }
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(scratch);
        }
    }
}
