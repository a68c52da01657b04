package dev.signet.benchmarks.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/signet serve}, as a user runs the packaged application: in a cluster (the operator and the control plane
 * in one process) or standalone. Spoken to as an operator of it would: its log, its metrics endpoint, and
 * {@code jcmd} for its heap.
 */
public final class SignetServe implements AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private final Process process;
    private final Path home;
    private final Path dir;
    private final Path log;
    private final int grpcPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private SignetServe(Process process, Path home, Path dir, Path log, int grpcPort, int httpPort) {
        this.process = process;
        this.home = home;
        this.dir = dir;
        this.log = log;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
    }

    /**
     * Starts {@code bin/signet serve MODE...} from the checkout named by system property {@code signet.home}
     * (benchmarks/run sets it) in {@code dir}, with a fixed heap so that resizing stays out of the figures, on ports the
     * system picks, and waits until it logs "ready": in a cluster, informers synced and the mesh built.
     */
    public static SignetServe start(Path dir, String heap, String... mode) throws Exception {
        String home = System.getProperty("signet.home");
        if (home == null) {
            throw new IllegalStateException("system property signet.home is not set (benchmarks/run sets it)");
        }
        Path log = dir.resolve("signet.log");
        int grpcPort = LocalKubernetes.freePort();
        int httpPort = LocalKubernetes.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(home, "bin", "signet").toString(),
                "serve",
                "--grpc-port",
                String.valueOf(grpcPort),
                "--http-port",
                String.valueOf(httpPort)));
        command.addAll(List.of(mode));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Only the cluster its options name; built already by benchmarks/run, never mid-measurement.
        builder.environment()
                .keySet()
                .removeIf(name -> name.startsWith("SIGNET_")
                        || name.equals("KUBECONFIG")
                        || name.equals("KUBERNETES_SERVICE_HOST"));
        builder.environment().put("SIGNET_NO_BUILD", "1");
        String extra = System.getenv().getOrDefault("BENCHMARK_SERVER_JAVA_OPTS", "");
        builder.environment().put("SIGNET_JAVA_OPTS", ("-Xms" + heap + " -Xmx" + heap + " " + extra).strip());
        SignetServe serve = new SignetServe(builder.start(), Path.of(home), dir, log, grpcPort, httpPort);
        try {
            serve.awaitReady(Duration.ofMinutes(3));
        } catch (Exception e) {
            serve.close();
            throw e;
        }
        return serve;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)
                    && Files.readAllLines(log).stream()
                            .anyMatch(line -> line.strip().equals("ready"))) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("signet serve exited with " + process.exitValue() + "; see " + log);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("signet serve was not ready within " + timeout + "; see " + log);
    }

    /** Runs {@code bin/signet ARGS} in this server's folder (where its state is) and returns what it printed. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(home.resolve("bin").resolve("signet").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("SIGNET_NO_BUILD", "1");
        Process run = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (run.waitFor() != 0) {
            throw new IllegalStateException("signet " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** The sum of every series of {@code name} on the metrics endpoint (0 when it has none). */
    public double metric(String name) throws IOException, InterruptedException {
        String body = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The heap in use after a full collection, in bytes, as {@code jcmd} reports it. */
    public long heapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info printed no heap usage");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(List.of(jcmd.toString(), String.valueOf(process.pid()), command))
                .redirectErrorStream(true)
                .start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (run.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + command + ": " + out);
        }
        return out;
    }

    /** Its CPU time so far. */
    public Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
