package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Go programs the tests run, built by the test from their modules with the machine's {@code go}: the peers a user
 * would run (gRPC-Go, go-spiffe, Istio's agent), never a binary checked in.
 */
final class GoPrograms {

    private GoPrograms() {}

    /** Builds {@code src/test/go/NAME} into {@code target/NAME}. */
    static Path build(String name) throws Exception {
        Path program = SignetProcess.home().resolve("test-e2e/target/" + name);
        go(
                SignetProcess.home().resolve("test-e2e/src/test/go/" + name),
                Files.createDirectories(program.getParent()),
                List.of("go", "build", "-o", program.toString(), "."));
        return program;
    }

    /**
     * Builds {@code pkg}, a tool that {@code src/test/go/MODULE}'s go.mod pins (for modules the registry serves only
     * that way), into {@code target/bin}; the program's path.
     */
    static Path buildTool(String module, String pkg) throws Exception {
        Path bin = Files.createDirectories(SignetProcess.home().resolve("test-e2e/target/bin"));
        Path program = bin.resolve(pkg.substring(pkg.lastIndexOf('/') + 1));
        go(
                SignetProcess.home().resolve("test-e2e/src/test/go/" + module),
                bin,
                List.of("go", "build", "-o", program.toString(), pkg));
        return program;
    }

    /** {@code go install PACKAGE@VERSION} into {@code target/bin}; the program's path. */
    static Path install(String packageAtVersion) throws Exception {
        Path bin = Files.createDirectories(SignetProcess.home().resolve("test-e2e/target/bin"));
        go(bin, bin, List.of("go", "install", packageAtVersion));
        String pkg = packageAtVersion.substring(0, packageAtVersion.indexOf('@'));
        return bin.resolve(pkg.substring(pkg.lastIndexOf('/') + 1));
    }

    /** The folder of {@code module@version} in Go's module cache, downloaded if it is not there yet. */
    static Path moduleDir(String moduleAtVersion) throws Exception {
        Path bin = Files.createDirectories(SignetProcess.home().resolve("test-e2e/target/bin"));
        Path json = bin.resolve("module-" + moduleAtVersion.replaceAll("[^A-Za-z0-9.-]", "_") + ".json");
        go(bin, bin, List.of("sh", "-c", "go mod download -json " + moduleAtVersion + " > " + json));
        java.util.regex.Matcher dir =
                java.util.regex.Pattern.compile("\"Dir\": \"([^\"]+)\"").matcher(Files.readString(json));
        assertThat(dir.find()).as(Files.readString(json)).isTrue();
        return Path.of(dir.group(1));
    }

    private static void go(Path directory, Path bin, List<String> command) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("GOBIN", bin.toString());
        // Pseudo-versions and modules without a checked-in go.sum resolve as they are needed.
        builder.environment().put("GOFLAGS", "-mod=mod");
        Process go = builder.start();
        String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(go.waitFor(15, TimeUnit.MINUTES)).isTrue();
        assertThat(go.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    }

    /** Runs {@code program ARGS}; its exit code and its output, both streams together. */
    static SignetProcess.Result run(Path program, String... args) throws Exception {
        return runWithInput(program, "", args);
    }

    /** {@link #run} with {@code input} on the program's standard input. */
    static SignetProcess.Result runWithInput(Path program, String input, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new SignetProcess.Result(process.exitValue(), out, "");
    }
}
