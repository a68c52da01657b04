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

    record Result(int exitCode, String out, String err) {}

    private SignetProcess() {}

    static Path home() {
        String home = System.getProperty("signet.home");
        if (home == null) {
            throw new IllegalStateException("system property signet.home is not set (run through Maven)");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    /** Starts {@code bin/signet ARGS} in the background, its output going to {@code log}. */
    static Process start(Path workingDirectory, Path log, String... args) throws IOException {
        return start(workingDirectory, log, java.util.Map.of(), args);
    }

    /** {@link #start(Path, Path, String...)} with {@code environment} added to the isolated one. */
    static Process start(Path workingDirectory, Path log, java.util.Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin/signet").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        isolate(builder, workingDirectory);
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * Waits until {@code log} has {@code line} as a whole line, or the process dies, or 60 s pass. A whole line: a
     * warning saying "already registered" is not "ready".
     */
    /**
     * Starts {@code signet serve --standalone config/samples} on {@code grpcPort} and {@code httpPort}, with
     * {@code extra} options, logging to {@code log}; it does not wait for it to be ready.
     */
    static Process serveSamples(Path workingDirectory, Path log, int grpcPort, int httpPort, String... extra)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "serve",
                "--standalone",
                home().resolve("config/samples").toString(),
                "--grpc-port",
                String.valueOf(grpcPort),
                "--http-port",
                String.valueOf(httpPort)));
        args.addAll(List.of(extra));
        return start(workingDirectory, log, args.toArray(String[]::new));
    }

    static void awaitLine(Process process, Path log, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(log)
                    && java.nio.file.Files.readString(log).lines().anyMatch(line::equals)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "bin/signet exited with " + process.exitValue() + ":\n" + java.nio.file.Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "bin/signet did not print \"" + line + "\" in time:\n" + java.nio.file.Files.readString(log));
    }

    /**
     * No nested Maven build (the reactor built the jars just before), and no cluster but the one a test names with
     * --kubeconfig: a developer's ~/.kube/config or $KUBECONFIG must never turn a standalone test into an operator
     * run against their real cluster.
     */
    private static void isolate(ProcessBuilder builder, Path workingDirectory) {
        // Nor a developer's SIGNET_… settings: every serve setting may come from the environment.
        builder.environment().keySet().removeIf(name -> name.startsWith("SIGNET_") && !name.equals("SIGNET_JAVA_OPTS"));
        builder.environment().put("SIGNET_NO_BUILD", "1");
        builder.environment().remove("KUBECONFIG");
        builder.environment().remove("SPIFFE_ENDPOINT_SOCKET");
        builder.environment().remove("KUBERNETES_SERVICE_HOST");
        builder.environment().put("HOME", workingDirectory.toAbsolutePath().toString());
    }

    /** GET {@code path} on the local HTTP port; anything but 200 fails. */
    static String http(int port, String path) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** GET {@code path} on an admin route, with the credential {@code serve} wrote into {@code stateDirectory}. */
    static String admin(int port, Path stateDirectory, String path) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                .header(
                                        "Authorization",
                                        dev.signet.controlplane.admin.AdminCredential.SCHEME
                                                + dev.signet.controlplane.admin.AdminCredential.read(stateDirectory))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static Result run(Path workingDirectory, String... args) throws IOException, InterruptedException {
        return runWithInput(workingDirectory, "", args);
    }

    /** Runs {@code bin/signet ARGS} with {@code input} on its standard input. */
    static Result runWithInput(Path workingDirectory, String input, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin/signet").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        isolate(builder, workingDirectory);
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
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
