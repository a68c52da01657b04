package dev.signet.cli.policy;

import dev.signet.policy.check.PolicyCheck;
import dev.signet.policy.load.ResourceLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Where policies are read from: a folder, one file, or {@code -} for standard input. */
public final class PolicyInput {

    /** How standard input is named in findings. */
    static final String STDIN = "<stdin>";

    private PolicyInput() {}

    public static PolicyCheck.Loaded load(PolicyCheck check, Path path, InputStream stdin) throws IOException {
        if (path.toString().equals("-")) {
            byte[] text = stdin.readNBytes((int) ResourceLoader.MAX_FILE_BYTES + 1);
            if (text.length > ResourceLoader.MAX_FILE_BYTES) {
                throw new IllegalArgumentException(
                        "standard input is larger than " + ResourceLoader.MAX_FILE_BYTES + " bytes");
            }
            return check.load(STDIN, new String(text, StandardCharsets.UTF_8));
        }
        return check.load(path);
    }
}
