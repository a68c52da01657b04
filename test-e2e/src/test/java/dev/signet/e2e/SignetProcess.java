package dev.signet.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/signet} from the checkout as a separate process, as a user's shell would. */
final class SignetProcess {

    record Result(int exitCode, String out, String err) {
    }

    private SignetProcess() {
    }

    static Path home() {
        String home = System.getProperty("signet.home");
        if (home == null) {
            throw new IllegalStateException("system property signet.home is not set (run through Maven)");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    static Result run(Path workingDirectory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin/signet").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        // The reactor built the jar just before this module; never start a nested Maven build from a test.
        builder.environment().put("SIGNET_NO_BUILD", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/signet did not finish: " + command);
        }
        return new Result(process.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
