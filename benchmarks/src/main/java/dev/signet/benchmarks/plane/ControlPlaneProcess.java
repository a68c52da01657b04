package dev.signet.benchmarks.plane;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A control plane in a JVM of its own, for benchmarks that measure an agent: the CA's work (its JIT, its garbage, its
 * side of each TLS connection) then stays out of the agent's process, as it does in a mesh. Started with a state
 * folder, it writes a token for shop/{@code ACCOUNT} beside it, prints {@code port N}, and runs until its input ends.
 */
public final class ControlPlaneProcess {

    private ControlPlaneProcess() {}

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        try (ControlPlane controlPlane = ControlPlane.startEphemeral(state)) {
            Files.writeString(
                    state.resolveSibling("token"),
                    controlPlane
                            .tokenIssuer()
                            .issue(
                                    new WorkloadIdentity("shop", args[1]),
                                    Duration.ofHours(1),
                                    LocalTokenIssuer.DEFAULT_AUDIENCE));
            System.out.println("port " + controlPlane.grpcPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the parent closes its input (or exits).
            }
        }
    }

    /** Starts one from this benchmark's own jar; its port. */
    static Started start(Path state, String account) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        "-cp",
                        classpath,
                        ControlPlaneProcess.class.getName(),
                        state.toString(),
                        account)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("port ")) {
                return new Started(process, Integer.parseInt(line.substring(5).strip()));
            }
        }
        process.destroyForcibly();
        throw new IOException("the control plane process ended before it printed its port");
    }

    /** A running control plane process and its gRPC port. */
    record Started(Process process, int port) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
