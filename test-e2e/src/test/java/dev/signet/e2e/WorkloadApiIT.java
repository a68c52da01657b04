package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationPhase;
import dev.signet.controlplane.rotation.RotationRequest;
import io.spiffe.provider.SpiffeSslContextFactory;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.workloadapi.DefaultX509Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code signet agent --workload-api} serves the SPIFFE Workload API, read by go-spiffe (built by the
 * test, {@code src/test/go/spiffecheck}): the X.509 context verifies, and two go-spiffe services that know each other
 * only through the Workload API ({@code spiffetls}, {@code tlsconfig.AuthorizeID}) keep calling through a root rotation,
 * and JWT-SVIDs one fetches keep validating at the other (offline and by its agent) while the JWT key rotates; so do
 * two JVM services whose {@code SSLContext} comes from java-spiffe's {@code SpiffeSslContextFactory}. SPIRE's own
 * {@code spire-agent api} commands fetch and validate Signet's SVIDs.
 */
class WorkloadApiIT {

    private static final String PAYMENTS = "spiffe://cluster.local/ns/shop/sa/payments";
    private static final String CHECKOUT = "spiffe://cluster.local/ns/shop/sa/checkout";

    private static Path spiffeCheck;

    @TempDir
    Path dir;

    private ControlPlane controlPlane;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void build() throws Exception {
        spiffeCheck = GoPrograms.build("spiffecheck");
    }

    @BeforeEach
    void start() throws Exception {
        controlPlane = StandaloneShop.start(dir, SignetProcess.freePort());
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        controlPlane.close();
    }

    /** {@code bin/signet agent} for shop/{@code account}, serving the Workload API; its socket. */
    private Path agent(String account) throws Exception {
        Path token = Files.writeString(
                dir.resolve(account + ".token"),
                controlPlane
                        .tokenIssuer()
                        .issue(
                                new WorkloadIdentity("shop", account),
                                Duration.ofMinutes(30),
                                LocalTokenIssuer.DEFAULT_AUDIENCE));
        Path socket = dir.resolve(account + ".sock");
        Path log = dir.resolve(account + "-agent.log");
        Process agent = SignetProcess.start(
                dir,
                log,
                "agent",
                "--ca-address",
                "localhost:" + controlPlane.grpcPort(),
                "--ca-root",
                controlPlane.rootCertificateFile().toString(),
                "--token-file",
                token.toString(),
                "--out",
                dir.resolve(account).toString(),
                "--workload-api",
                "unix://" + socket);
        processes.add(agent);
        SignetProcess.awaitLine(agent, log, "serving the SPIFFE Workload API on unix://" + socket);
        // The socket serves at once; its first SVID comes with the agent's first certificate.
        Awaitility.await("the agent's first certificate")
                .atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(dir.resolve(account).resolve("cert-chain.pem")));
        return socket;
    }

    private Process goSpiffe(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(spiffeCheck.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(process);
        return process;
    }

    /** Starts an automatic rotation and waits until it is COMPLETE, then lets calls go on for a while. */
    private void rotate() throws Exception {
        controlPlane.rotation().start(RotationRequest.generated(RotationMode.AUTOMATIC));
        Awaitility.await("the rotation to complete")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> controlPlane.rotation().status().phase().orElseThrow() == RotationPhase.COMPLETE);
        Thread.sleep(3000);
    }

    /** java-spiffe's SSLContext for the workload behind {@code socket}, accepting only {@code peer}. */
    private SSLContext javaSpiffe(Path socket, String peer, List<AutoCloseable> closing) throws Exception {
        DefaultX509Source source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                .spiffeSocketPath("unix:" + socket)
                .initTimeout(Duration.ofSeconds(20))
                .build());
        closing.add(source::close);
        return SpiffeSslContextFactory.getSslContext(SpiffeSslContextFactory.SslContextOptions.builder()
                .x509Source(source)
                .acceptedSpiffeIdsSupplier(() -> Set.of(SpiffeId.parse(peer)))
                .build());
    }

    @Test
    void java_spiffe_services_talk_mtls_through_the_workload_api_across_a_root_rotation() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        try {
            SSLContext server = javaSpiffe(agent("payments"), CHECKOUT, closing);
            SSLContext client = javaSpiffe(agent("checkout"), PAYMENTS, closing);
            try (MutualTlsCalls.Server payments = new MutualTlsCalls.Server(() -> server);
                    MutualTlsCalls.Caller checkout =
                            new MutualTlsCalls.Caller(() -> client, payments.port(), PAYMENTS, CHECKOUT, 100)) {
                Awaitility.await("the first calls")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> checkout.ok.get() > 5);
                rotate();
                checkout.close();
                System.out.printf(
                        "WorkloadApiIT: java-spiffe through a rotation: %d calls ok, %d failed%n",
                        checkout.ok.get(), checkout.failed.get());
                assertThat(checkout.failed.get())
                        .as("failed calls through the rotation (last: " + checkout.lastFailure.get() + ")")
                        .isZero();
                assertThat(checkout.ok.get()).isGreaterThan(20);
            }
        } finally {
            for (AutoCloseable resource : closing) {
                resource.close();
            }
        }
    }

    @Test
    void go_spiffe_services_talk_mtls_and_trade_jwt_svids_through_the_workload_api_across_a_root_rotation()
            throws Exception {
        Path payments = agent("payments");
        Path checkout = agent("checkout");
        SignetProcess.Result fetched = GoPrograms.run(spiffeCheck, "x509", "unix://" + payments);
        assertThat(fetched.exitCode()).as(fetched.out()).isZero();
        assertThat(fetched.out().strip())
                .isEqualTo("svid " + PAYMENTS + ", 2 certificates, bundle of 1 roots, verified");
        SignetProcess.Result jwt = GoPrograms.run(spiffeCheck, "jwt", "unix://" + payments, "ledger");
        assertThat(jwt.exitCode()).as(jwt.out()).isZero();
        assertThat(jwt.out().strip())
                .matches("jwt-svid " + PAYMENTS + " for ledger, .* left, validated by the agent \\(" + PAYMENTS
                        + "\\) and offline \\(" + PAYMENTS + "\\)");

        int port = SignetProcess.freePort();
        Path serverLog = dir.resolve("go-server.log");
        Process server = goSpiffe(serverLog, "serve", "unix://" + payments, String.valueOf(port), CHECKOUT);
        Awaitility.await("the go-spiffe server").atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(server.isAlive()).as(Files.readString(serverLog)).isTrue();
            return Files.readString(serverLog).contains("listening on");
        });
        Path stop = dir.resolve("stop");
        Path loopLog = dir.resolve("go-loop.log");
        Process loop =
                goSpiffe(loopLog, "loop", "unix://" + checkout, "127.0.0.1:" + port, PAYMENTS, "100", stop.toString());
        Path jwtLog = dir.resolve("go-jwt.log");
        Process jwtLoop = goSpiffe(
                jwtLog, "jwtloop", "unix://" + payments, "unix://" + checkout, "checkout", "200", stop.toString());
        Path watchLog = dir.resolve("go-watch.log");
        Process watch = goSpiffe(watchLog, "watch", "unix://" + checkout, stop.toString());
        Thread.sleep(2000);

        rotate();
        Files.writeString(stop, "");
        for (Process process : List.of(loop, jwtLoop, watch)) {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String out = Files.readString(loopLog);
        assertThat(lastLine(out)).as(out).matches("ok [1-9][0-9]+ failed 0");
        String jwts = Files.readString(jwtLog);
        System.out.printf("WorkloadApiIT: go-spiffe JWT-SVIDs through a rotation: %s%n", lastLine(jwts));
        assertThat(lastLine(jwts))
                .as("JWT-SVIDs of payments validated by checkout, offline and by its agent, signed by both keys: "
                        + jwts)
                .matches("ok [1-9][0-9]+ failed 0 kids 2");
        List<String> updates = Files.readAllLines(watchLog);
        assertThat(updates.stream().filter(line -> line.startsWith("jwt")).toList())
                .as("go-spiffe's JWT bundle watch: the new key joins in PREPARE, the old one leaves in RETIRE")
                .containsExactly("jwt keys 1", "jwt keys 2", "jwt keys 1");
        List<String> x509 =
                updates.stream().filter(line -> line.startsWith("x509")).toList();
        assertThat(runs(x509.stream()
                        .map(line -> line.replaceAll("serial [0-9a-f]+ ", ""))
                        .toList()))
                .as("go-spiffe's X.509 watch: the bundle grows in PREPARE and shrinks in RETIRE: " + x509)
                .containsExactly("x509 roots 1", "x509 roots 2", "x509 roots 1");
        assertThat(x509.stream()
                        .filter(line -> line.endsWith("roots 2"))
                        .map(line -> line.split(" ")[2])
                        .distinct()
                        .count())
                .as("the SVID changes in ACTIVATE, while both roots are trusted: " + x509)
                .isGreaterThan(1);

        SignetProcess.Result after = GoPrograms.run(spiffeCheck, "x509", "unix://" + checkout);
        assertThat(after.out().strip())
                .as("after the rotation the Workload API serves the new root alone")
                .isEqualTo("svid " + CHECKOUT + ", 2 certificates, bundle of 1 roots, verified");
    }

    @Test
    void spire_agents_own_cli_fetches_and_validates_signets_svids() throws Exception {
        Path spire = GoPrograms.buildTool("spire", "github.com/spiffe/spire/cmd/spire-agent");
        Path socket = agent("payments");

        SignetProcess.Result x509 = GoPrograms.run(spire, "api", "fetch", "x509", "-socketPath", socket.toString());
        assertThat(x509.exitCode()).as(x509.out()).isZero();
        assertThat(x509.out()).contains("Received 1 svid", "SPIFFE ID:\t\t" + PAYMENTS, "CA #1 Valid Until");

        SignetProcess.Result jwt = GoPrograms.run(
                spire, "api", "fetch", "jwt", "-audience", "ledger,audit", "-socketPath", socket.toString());
        assertThat(jwt.exitCode()).as(jwt.out()).isZero();
        assertThat(jwt.out()).contains("token(" + PAYMENTS + "):", "\"use\":\"jwt-svid\"");
        String token = jwt.out()
                .lines()
                .dropWhile(line -> !line.startsWith("token("))
                .skip(1)
                .findFirst()
                .orElseThrow()
                .strip();

        SignetProcess.Result valid = GoPrograms.run(
                spire,
                "api",
                "validate",
                "jwt",
                "-audience",
                "audit",
                "-svid",
                token,
                "-socketPath",
                socket.toString());
        assertThat(valid.exitCode()).as(valid.out()).isZero();
        assertThat(valid.out()).contains("SVID is valid.", "SPIFFE ID : " + PAYMENTS, "\"aud\":[\"ledger\",\"audit\"]");
        SignetProcess.Result wrong = GoPrograms.run(
                spire,
                "api",
                "validate",
                "jwt",
                "-audience",
                "shipping",
                "-svid",
                token,
                "-socketPath",
                socket.toString());
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.out()).contains("SVID is not valid", "not for audience \"shipping\"");
        SignetProcess.Result noAudience =
                GoPrograms.run(spire, "api", "fetch", "jwt", "-socketPath", socket.toString());
        assertThat(noAudience.exitCode()).isNotZero();
        assertThat(noAudience.out()).contains("audience must be specified");
    }

    /** {@code lines} with each run of equal lines as one. */
    private static List<String> runs(List<String> lines) {
        List<String> runs = new ArrayList<>();
        for (String line : lines) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(line)) {
                runs.add(line);
            }
        }
        return runs;
    }

    @Test
    void signets_own_api_commands_read_the_socket_as_a_workload_would() throws Exception {
        Path socket = agent("payments");
        String address = "unix://" + socket;

        SignetProcess.Result x509 = SignetProcess.run(dir, "api", "x509", "--socket", address);
        assertThat(x509.exitCode()).as(x509.err()).isZero();
        assertThat(x509.out())
                .startsWith(PAYMENTS + "\n")
                .contains("2 certificate(s) in the chain", "bundle: 1 root(s); the chain verifies against it");

        SignetProcess.Result jwt = SignetProcess.run(dir, "api", "jwt", "--socket", address, "-a", "ledger,audit");
        assertThat(jwt.exitCode()).as(jwt.err()).isZero();
        String token = jwt.out().strip();
        assertThat(token.split("\\.")).hasSize(3);
        SignetProcess.Result valid =
                SignetProcess.run(dir, "api", "validate", "--socket", address, "-a", "audit", token);
        assertThat(valid.exitCode()).as(valid.err()).isZero();
        assertThat(valid.out()).contains("valid: " + PAYMENTS, "\"aud\":[\"ledger\",\"audit\"]");

        SignetProcess.Result wrong =
                SignetProcess.run(dir, "api", "validate", "--socket", address, "-a", "shipping", token);
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("INVALID_ARGUMENT", "not for audience \"shipping\"");
        SignetProcess.Result nowhere =
                SignetProcess.run(dir, "api", "x509", "--socket", "unix://" + dir.resolve("none.sock"));
        assertThat(nowhere.exitCode()).isEqualTo(1);
        assertThat(nowhere.err()).contains("UNAVAILABLE");
        SignetProcess.Result noSocket = SignetProcess.run(dir, "api", "x509");
        assertThat(noSocket.exitCode()).isEqualTo(1);
        assertThat(noSocket.err()).contains("pass --socket unix:///PATH or set SPIFFE_ENDPOINT_SOCKET");
    }

    private static String lastLine(String out) {
        return out.lines().reduce((a, b) -> b).orElse("");
    }
}
