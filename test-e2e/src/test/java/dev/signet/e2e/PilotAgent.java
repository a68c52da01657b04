package dev.signet.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Istio's sidecar agent, {@code pilot-agent}, built from the {@code istio.io/istio} module and run as a sidecar's agent
 * in the proxyless mode that writes its certificates to files (no Envoy can be installed here), against Signet's
 * gRPC port, which it checks under istiod's name as a sidecar in a mesh does.
 */
final class PilotAgent {

    /** The {@code istio.io/istio} version the peers table names; a pseudo-version, so modules resolve as needed. */
    static final String ISTIO = "v0.0.0-20260827124520-eed52ebb66ad";

    private PilotAgent() {}

    static Path build() throws Exception {
        return GoPrograms.install("istio.io/istio/pilot/cmd/pilot-agent@" + ISTIO);
    }

    /**
     * Starts {@code binary} for {@code namespace/account} in {@code home}, with {@code token} (audience istio-ca) and
     * {@code caRoot} (the CA's root) where Istio mounts them; waits for its certificates in {@code home/out}, each lasting
     * {@code ttl}. The process is the caller's to stop.
     */
    static Process start(
            Path binary,
            Path home,
            String namespace,
            String account,
            String token,
            Path caRoot,
            int grpcPort,
            Duration ttl)
            throws Exception {
        Path tokens = Files.createDirectories(home.resolve("var/run/secrets/tokens"));
        Files.writeString(tokens.resolve("istio-token"), token.strip());
        // Where Istio mounts the istio-ca-root-cert ConfigMap; a link, so that it follows the file as a mount does.
        Path mounted = Files.createDirectories(home.resolve("var/run/secrets/istio"));
        Files.createSymbolicLink(mounted.resolve("root-cert.pem"), caRoot.toAbsolutePath());
        // pilot-agent writes into OUTPUT_CERTS but does not create it (in a Pod it is a mounted volume).
        Path out = Files.createDirectories(home.resolve("out"));
        ProcessBuilder agent = new ProcessBuilder(binary.toString(), "proxy", "sidecar")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("pilot-agent.log").toFile());
        agent.environment()
                .putAll(Map.ofEntries(
                        Map.entry("DISABLE_ENVOY", "true"),
                        Map.entry("OUTPUT_CERTS", out.toString()),
                        Map.entry("POD_NAMESPACE", namespace),
                        Map.entry("POD_NAME", account + "-0"),
                        Map.entry("SERVICE_ACCOUNT", account),
                        Map.entry("TRUST_DOMAIN", "cluster.local"),
                        Map.entry("JWT_POLICY", "third-party-jwt"),
                        Map.entry("PILOT_CERT_PROVIDER", "istiod"),
                        Map.entry("SECRET_TTL", ttl.toSeconds() + "s"),
                        // Dialled by address, checked by istiod's name.
                        Map.entry("ISTIOD_SAN", "istiod.istio-system.svc"),
                        Map.entry(
                                "PROXY_CONFIG",
                                "{\"discoveryAddress\":\"127.0.0.1:" + grpcPort + "\",\"statusPort\":"
                                        + SignetProcess.freePort() + "}"),
                        Map.entry("ISTIO_META_GENERATOR", "grpc")));
        Process process = agent.start();
        try {
            Awaitility.await("pilot-agent's certificate files for " + account)
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(out.resolve("root-cert.pem")) && Files.exists(out.resolve("key.pem")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            process.destroy();
            throw new AssertionError(
                    "pilot-agent wrote no certificate:\n" + Files.readString(home.resolve("pilot-agent.log")), e);
        }
        return process;
    }
}
