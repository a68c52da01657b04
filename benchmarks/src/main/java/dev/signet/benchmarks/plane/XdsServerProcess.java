package dev.signet.benchmarks.plane;

import dev.signet.ca.crypto.Pem;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ControlPlane;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The xDS server of {@code xds-convergence} in a JVM of its own, so that the proxies' side of 10,000 connections
 * (their descriptors, heap and CPU) stays out of its process, as in a mesh, and its heap can be told apart. It
 * answers one command per line on its input:
 *
 * <ul>
 *   <li>{@code prepare N ACCOUNT}: builds (parses, validates) N workloads {@code bench/w<i>} (service account
 *       {@code w<i>}) and a policy allowing {@code ACCOUNT}; answers {@code ok};
 *   <li>{@code install}: hands what was prepared to the xDS server, the change being measured; answers {@code ok};
 *   <li>{@code sign I CSR}: signs the base64 DER CSR for {@code sa/w<I>}; answers the chain, base64 PEM;
 *   <li>{@code roots}: the trust bundle, base64 PEM;
 *   <li>{@code heap}: the used heap after a full collection, in bytes;
 *   <li>{@code nacks}: how many NACKs the server has counted;
 *   <li>{@code token I}: a token for {@code bench/a<I>}, as {@code signet token} makes one;
 *   <li>{@code issued}: how many certificates this process has issued.
 * </ul>
 *
 * <p>Started with a port and a folder besides the state ({@code STATE PORT FOLDER}) it is a standalone control
 * plane as {@code signet serve} runs one: the mesh read from the folder before it serves, on a port that stays the
 * same when it is started again over the same state.
 */
public final class XdsServerProcess {

    private XdsServerProcess() {}

    public static void main(String[] args) throws Exception {
        try (ControlPlane controlPlane = args.length == 1
                ? ControlPlane.startEphemeral(Path.of(args[0]))
                : ControlPlane.start(
                        dev.signet.controlplane.ControlPlaneConfig.defaults(Path.of(args[0]))
                                .withGrpcAddress(new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])))
                                .withStandaloneDirectory(Path.of(args[2])),
                        java.time.Clock.systemUTC(),
                        new java.security.SecureRandom())) {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII));
            out.write("port " + controlPlane.grpcPort() + "\n");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            Base64.Encoder b64 = Base64.getEncoder();
            String line;
            MeshPolicies prepared = null;
            while ((line = in.readLine()) != null) {
                String[] words = line.split(" ");
                String answer = switch (words[0]) {
                    case "prepare" -> {
                        prepared = mesh(Integer.parseInt(words[1]), words[2]);
                        yield "ok";
                    }
                    case "install" -> {
                        controlPlane.xds().update(prepared);
                        yield "ok";
                    }
                    case "sign" -> {
                        X509Svid svid = controlPlane
                                .ca()
                                .sign(
                                        Base64.getDecoder().decode(words[2]),
                                        SpiffeId.forServiceAccount("cluster.local", "bench", "w" + words[1]),
                                        null);
                        yield b64.encodeToString(
                                String.join("", svid.chainPem()).getBytes(StandardCharsets.US_ASCII));
                    }
                    case "roots" ->
                        b64.encodeToString(
                                Pem.encode(controlPlane.trustBundle().roots()).getBytes(StandardCharsets.US_ASCII));
                    case "heap" -> String.valueOf(usedHeap());
                    case "nacks" -> String.valueOf(controlPlane.proxies().nackCount());
                    case "token" ->
                        controlPlane
                                .tokenIssuer()
                                .issue(
                                        new dev.signet.controlplane.identity.WorkloadIdentity("bench", "a" + words[1]),
                                        java.time.Duration.ofHours(1),
                                        dev.signet.controlplane.identity.LocalTokenIssuer.DEFAULT_AUDIENCE);
                    case "issued" -> String.valueOf(controlPlane.metrics().issuedCount());
                    default -> "unknown command " + words[0];
                };
                out.write(answer + "\n");
                out.flush();
            }
        }
    }

    /** N workloads of one port each, every one its own service account, and one policy over all of them. */
    static MeshPolicies mesh(int workloads, String allowed) {
        LoadResult load = new ResourceLoader(new PolicyValidator(MeshPolicies.DEFAULT_ROOT_NAMESPACE))
                .loadText("bench.yaml", yaml(workloads, allowed));
        if (load.hasErrors()) {
            throw new IllegalStateException(load.diagnostics().get(0).format());
        }
        return MeshPolicies.of(MeshPolicies.DEFAULT_ROOT_NAMESPACE, load.resources());
    }

    /** The mesh of {@link #mesh} as YAML, as a folder of policies holds it. */
    static String yaml(int workloads, String allowed) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < workloads; i++) {
            yaml.append("apiVersion: security.signet.dev/v1\nkind: Workload\nmetadata: {name: w")
                    .append(i)
                    .append(", namespace: bench, labels: {app: a")
                    .append(i % 50)
                    .append("}}\n")
                    .append("spec: {serviceAccount: w")
                    .append(i)
                    .append(", address: 127.0.0.1, ports: [{port: 8080, protocol: GRPC}]}\n---\n");
        }
        yaml.append(
                        "apiVersion: security.signet.dev/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow, namespace: bench}\n")
                .append("spec:\n  rules: [{from: [{source: {principals: [\"cluster.local/ns/bench/sa/")
                .append(allowed)
                .append("\"]}}]}]\n");
        return yaml.toString();
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The running process, spoken to one line at a time. */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final BufferedReader answers;
        private final PrintStream commands;
        private final int port;

        private Running(Process process) throws IOException {
            this.process = process;
            this.answers =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
            String first = answers.readLine();
            while (first != null && !first.startsWith("port ")) {
                first = answers.readLine(); // what a JVM option prints first (a flight recording's start)
            }
            if (first == null) {
                process.destroyForcibly();
                throw new IOException("the xDS server process ended before it printed its port");
            }
            this.port = Integer.parseInt(first.substring(5).strip());
        }

        /** Starts one from this benchmark's own jar, with {@code heap} as its -Xmx, on a port the system picks. */
        static Running start(Path state, String heap) throws IOException {
            return start(heap, state.toString());
        }

        /** Starts a standalone control plane on {@code port} with its mesh read from {@code folder}. */
        static Running serving(Path state, int port, Path folder, String heap) throws IOException {
            return start(heap, state.toString(), String.valueOf(port), folder.toString());
        }

        private static Running start(String heap, String... args) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap));
            // A profile of the server's side: BENCHMARK_SERVER_JAVA_OPTS="-XX:StartFlightRecording=filename=x.jfr".
            String extra = System.getenv("BENCHMARK_SERVER_JAVA_OPTS");
            if (extra != null && !extra.isBlank()) {
                command.addAll(List.of(extra.strip().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), XdsServerProcess.class.getName()));
            command.addAll(List.of(args));
            return new Running(new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }

        /** Ends the process at once, as a crash or a killed Pod does: no drain, no goodbye to its streams. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        int port() {
            return port;
        }

        synchronized String ask(String command) throws IOException {
            commands.println(command);
            String answer = answers.readLine();
            if (answer == null) {
                throw new IOException("the xDS server process ended");
            }
            return answer;
        }

        /** The server process's CPU time so far, so that its share of the machine can be told apart. */
        java.time.Duration cpu() {
            return process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
        }

        @Override
        public void close() throws InterruptedException {
            commands.close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
