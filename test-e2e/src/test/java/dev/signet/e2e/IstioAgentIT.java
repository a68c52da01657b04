package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's own agent, {@code pilot-agent} built by the test from the {@code istio.io/istio} module, takes its
 * certificates from the packaged {@code signet serve} through Istio's CA API, checking Signet's serving certificate
 * under istiod's name, in the proxyless mode that writes them to files (no Envoy exists here). Two workloads talk
 * mutual TLS with those files while Signet rotates its root, and the rotation's gates wait for the Istio agents.
 */
class IstioAgentIT {

    private static Path pilotAgent;
    private static Path spiffeCheck;

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();
    private int httpPort;
    private int grpcPort;

    @BeforeAll
    static void build() throws Exception {
        pilotAgent = PilotAgent.build();
        spiffeCheck = GoPrograms.build("spiffecheck");
    }

    @BeforeEach
    void start() throws Exception {
        grpcPort = SignetProcess.freePort();
        httpPort = SignetProcess.freePort();
        Path log = dir.resolve("serve.log");
        Process serve = SignetProcess.start(
                dir,
                log,
                "serve",
                "--grpc-port",
                String.valueOf(grpcPort),
                "--http-port",
                String.valueOf(httpPort),
                "--rotation-settle",
                "2s");
        processes.add(serve);
        SignetProcess.awaitLine(serve, log, "ready");
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** pilot-agent for {@code shop/account} in {@code DIR/account}, with the standalone root file Signet keeps. */
    private Path istioAgent(String account) throws Exception {
        SignetProcess.Result token = SignetProcess.run(
                dir,
                "token",
                "--namespace",
                "shop",
                "--service-account",
                account,
                "--audience",
                "istio-ca",
                "--ttl",
                "24h");
        assertThat(token.exitCode()).as(token.err()).isZero();
        Path home = dir.resolve(account);
        processes.add(PilotAgent.start(
                pilotAgent,
                home,
                "shop",
                account,
                token.out(),
                dir.resolve(".signet/root-cert.pem"),
                grpcPort,
                Duration.ofSeconds(60)));
        return home.resolve("out");
    }

    private JsonNode status() throws Exception {
        SignetProcess.Result result =
                SignetProcess.run(dir, "rotate", "status", "-o", "json", "--address", "127.0.0.1:" + httpPort);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return json.readTree(result.out());
    }

    private JsonNode awaitStatus(String what, Predicate<JsonNode> wanted) {
        return Awaitility.await(what)
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(this::status, wanted::test);
    }

    private static List<String> roots(Path file) throws Exception {
        return Pem.certificates(Files.readString(file)).stream()
                .map(Fingerprints::sha256)
                .toList();
    }

    /** {@code GET /bundle}, saved to a file. */
    private Path bundleFromEndpoint() throws Exception {
        return Files.writeString(Files.createTempFile(dir, "bundle", ".json"), SignetProcess.http(httpPort, "/bundle"));
    }

    /** What go-spiffe makes of Signet's bundle (and chain): {@code src/test/go/spiffecheck}. */
    private static String goSpiffe(String what, Path bundle, Path... chain) throws Exception {
        List<String> args = new ArrayList<>(List.of(what, "cluster.local", bundle.toString()));
        for (Path file : chain) {
            args.add(file.toString());
        }
        SignetProcess.Result result = GoPrograms.run(spiffeCheck, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.out()).isZero();
        return result.out().strip();
    }

    private static boolean opensslVerifies(Path roots, Path chain) throws Exception {
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "verify",
                        "-CAfile",
                        roots.toString(),
                        "-untrusted",
                        chain.toString(),
                        chain.toString())
                .redirectErrorStream(true)
                .start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return openssl.exitValue() == 0;
    }

    @Test
    void pilot_agent_workloads_keep_talking_through_a_root_rotation_that_waits_for_them() throws Exception {
        Path checkout = istioAgent("checkout");
        Path payments = istioAgent("payments");
        Path oldRoot = dir.resolve("old-root.pem");
        Files.copy(dir.resolve(".signet/root-cert.pem"), oldRoot);
        assertThat(opensslVerifies(oldRoot, checkout.resolve("cert-chain.pem")))
                .as("openssl accepts pilot-agent's chain under Signet's root")
                .isTrue();

        try (MutualTlsCalls.Server server = new MutualTlsCalls.Server(payments);
                MutualTlsCalls.Caller caller = new MutualTlsCalls.Caller(
                        checkout,
                        server.port(),
                        "spiffe://cluster.local/ns/shop/sa/payments",
                        "spiffe://cluster.local/ns/shop/sa/checkout",
                        100)) {
            Awaitility.await("the first calls").atMost(Duration.ofSeconds(30)).until(() -> caller.ok.get() > 5);

            long rotationStart = System.nanoTime();
            SignetProcess.Result started =
                    SignetProcess.run(dir, "rotate", "start", "--address", "127.0.0.1:" + httpPort);
            assertThat(started.exitCode()).as(started.err()).isZero();
            JsonNode prepare = status();
            assertThat(prepare.path("phase").asText()).isEqualTo("PREPARE");
            assertThat(prepare.path("total").asInt())
                    .as("both Istio agents count for the gate")
                    .isEqualTo(2);
            assertThat(goSpiffe("bundle", bundleFromEndpoint()))
                    .as("PREPARE publishes the new root and its JWT key")
                    .isEqualTo("x509 authorities: 2, jwt authorities: 2, sequence: 2, refresh hint: 5m0s");

            JsonNode activate =
                    awaitStatus("ACTIVATE", s -> !s.path("phase").asText().equals("PREPARE"));
            assertThat(roots(checkout.resolve("root-cert.pem")))
                    .as("the gate opened once pilot-agent had been given both roots")
                    .hasSize(2);
            awaitStatus("COMPLETE", s -> s.path("phase").asText().equals("COMPLETE"));
            long rotationSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - rotationStart);
            String newRoot = activate.path("toRoot").asText();

            for (Path agent : List.of(checkout, payments)) {
                assertThat(roots(agent.resolve("root-cert.pem")))
                        .as("at COMPLETE the Istio agents trust the new root only")
                        .containsExactly(newRoot);
                assertThat(opensslVerifies(dir.resolve(".signet/root-cert.pem"), agent.resolve("cert-chain.pem")))
                        .isTrue();
                assertThat(opensslVerifies(oldRoot, agent.resolve("cert-chain.pem")))
                        .as("nothing leads to the old root any more")
                        .isFalse();
            }
            Path published = bundleFromEndpoint();
            assertThat(goSpiffe("bundle", published))
                    .isEqualTo("x509 authorities: 1, jwt authorities: 1, sequence: 3, refresh hint: 5m0s");
            assertThat(goSpiffe("svid", published, payments.resolve("cert-chain.pem")))
                    .as("go-spiffe takes pilot-agent's chain as an X509-SVID under the published bundle")
                    .isEqualTo("verified: spiffe://cluster.local/ns/shop/sa/payments");
            SignetProcess.Result cli = SignetProcess.run(dir, "ca", "bundle", "-o", "spiffe", "--sequence", "3");
            assertThat(cli.exitCode()).as(cli.err()).isZero();
            Path written = Files.writeString(dir.resolve("cli-bundle.json"), cli.out());
            assertThat(goSpiffe("bundle", written))
                    .as("the CLI writes the roots it reads from a file, without JWT keys")
                    .isEqualTo("x509 authorities: 1, jwt authorities: 0, sequence: 3, refresh hint: 5m0s");

            Path late = istioAgent("late");
            assertThat(roots(late.resolve("root-cert.pem")))
                    .as("an agent started after the rotation connects under the new root")
                    .containsExactly(newRoot);

            long before = caller.ok.get();
            Awaitility.await("calls after the rotation")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> caller.ok.get() > before + 5);
            caller.close();
            System.out.printf(
                    "IstioAgentIT: rotation with 2 pilot-agents (60 s leaves) took %d s; %d calls ok, %d failed%n",
                    rotationSeconds, caller.ok.get(), caller.failed.get());
            assertThat(caller.failed.get())
                    .as("failed calls through the rotation (last: " + caller.lastFailure.get() + ")")
                    .isZero();
        }
    }
}
