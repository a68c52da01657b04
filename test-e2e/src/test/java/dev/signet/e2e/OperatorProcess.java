package dev.signet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/signet serve} replica running as the operator against a test cluster, as the chart's service
 * account. Its log is copied to {@code target/NAME.log} when it stops: the temporary folder is gone by the time
 * anyone reads a failure report.
 */
final class OperatorProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final int grpcPort;
    private final int httpPort;

    private OperatorProcess(String name, Process process, Path log, int grpcPort, int httpPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
    }

    /** The replica's HTTP port: health and metrics. */
    int httpPort() {
        return httpPort;
    }

    /**
     * Applies what {@code helm template charts/signet} renders for namespace {@code signet-system} (service account,
     * RBAC, Deployment, Service, the admission policy in Warn mode) after the CRDs, and returns a kubeconfig holding a token of the chart's service
     * account: the operator then has exactly the chart's rights, never admin's.
     */
    static Path installChart(KubeApiServer kube, Path dir) throws Exception {
        kube.kubectl("apply", "-f", SignetProcess.home().resolve("crds").toString())
                .ok();
        kube.kubectl("create", "namespace", "signet-system").ok();
        Path adminConfig = kube.kubeconfig(dir.resolve("admin.kubeconfig"), kube.adminToken());
        Path rendered = dir.resolve("chart.yaml");
        Files.writeString(
                rendered,
                kube.helm(
                                adminConfig,
                                "template",
                                "signet",
                                SignetProcess.home().resolve("charts/signet").toString(),
                                "--namespace",
                                "signet-system",
                                "--kube-version",
                                KubeApiServer.VERSION,
                                // The operator tests store invalid policies to see them marked Stalled and enforced
                                // fail-closed, as on a cluster without the admission policy (before Kubernetes 1.33,
                                // or admission.enabled=false); Warn admits them with a warning.
                                "--set",
                                "admission.action=Warn")
                        .ok()
                        .out());
        kube.kubectl("apply", "-f", rendered.toString()).ok();
        String token = kube.kubectl("create", "token", "signet", "-n", "signet-system", "--duration", "2h")
                .ok()
                .out()
                .trim();
        return kube.kubeconfig(dir.resolve("signet.kubeconfig"), token);
    }

    /** Starts a replica with its own working folder and ports, and waits until it prints "ready". */
    static OperatorProcess start(Path dir, Path kubeconfig, String name, String... extraArgs) throws Exception {
        return start(dir, kubeconfig, name, SignetProcess.freePort(), extraArgs);
    }

    /**
     * Starts replica {@code name} on {@code grpcPort}: started again under the same name, it finds its working folder
     * as a container restarted in its pod finds its volume.
     */
    static OperatorProcess start(Path dir, Path kubeconfig, String name, int grpcPort, String... extraArgs)
            throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path log = home.resolve("operator-" + System.nanoTime() + ".log");
        int httpPort = SignetProcess.freePort();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "serve",
                "--kubeconfig",
                kubeconfig.toString(),
                "--namespace",
                "signet-system",
                "--grpc-port",
                String.valueOf(grpcPort),
                "--http-port",
                String.valueOf(httpPort),
                "--xds-debounce",
                "20ms"));
        args.addAll(java.util.List.of(extraArgs));
        Process process = SignetProcess.start(home, log, args.toArray(String[]::new));
        OperatorProcess replica = new OperatorProcess(name, process, log, grpcPort, httpPort);
        try {
            SignetProcess.awaitLine(process, log, "ready");
        } catch (RuntimeException | IOException e) {
            replica.close();
            throw e;
        }
        return replica;
    }

    int grpcPort() {
        return grpcPort;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: the replica gets no chance to release its Lease, as when a node dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, as the kubelet stops a container, then waits up to {@code grace} (the pod's
     * terminationGracePeriodSeconds) for the replica to exit by itself; returns how long that took. A replica still
     * running then is killed, and the failure carries its threads, which say what it waits for.
     */
    Duration terminate(Duration grace) throws IOException, InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            String threads = threadDump();
            process.destroyForcibly();
            throw new AssertionError("replica " + name + " still ran " + grace.toSeconds() + " s after SIGTERM; its "
                    + "threads then:\n" + threads);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The exit status, once it has exited: 143 is the JVM's after SIGTERM, 137 after SIGKILL. */
    int exitValue() {
        return process.exitValue();
    }

    private String threadDump() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                .redirectErrorStream(true)
                .start();
        String out = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        dump.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        // Appended, not replaced: a replica restarted by a test keeps the log of its earlier life beside it.
        Files.createDirectories(Path.of("target"));
        Files.writeString(
                Path.of("target", name + ".log"),
                "==== pid " + process.pid() + "\n" + Files.readString(log),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
