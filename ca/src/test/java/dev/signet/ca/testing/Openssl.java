package dev.signet.ca.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} command; tests use it as an independent peer. */
public final class Openssl {

    /** The exit code and everything the command printed (stdout and stderr together). */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Openssl() {}

    public static Result run(Path workingDirectory, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl did not finish: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (is it installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs and fails the test with openssl's own output when the command fails. */
    public static String ok(Path workingDirectory, String... arguments) {
        Result result = run(workingDirectory, arguments);
        if (!result.ok()) {
            throw new AssertionError("openssl " + String.join(" ", arguments) + " failed (" + result.exitCode() + "):\n"
                    + result.output());
        }
        return result.output();
    }
}
