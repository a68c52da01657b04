package dev.signet.ca.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as another, unprivileged local user ({@code nobody}, through util-linux's {@code setpriv}): what an
 * attacker sharing the host can do. Needs root to switch users; elsewhere the checks that use it are skipped.
 */
public final class OtherUser {

    public static final int NOBODY = 65534;

    public record Result(int exitCode, String output) {}

    private OtherUser() {}

    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** Starts {@code command} as the other user; its output and errors go to {@code log}. */
    public static Process start(Path log, String... command) throws IOException {
        return new ProcessBuilder(asNobody(command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        List<String> full = asNobody(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + full);
        }
        return new Result(process.exitValue(), output);
    }

    private static List<String> asNobody(String... command) {
        List<String> full = new ArrayList<>(
                List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        full.addAll(List.of(command));
        return full;
    }
}
