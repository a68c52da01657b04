package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.testing.Openssl;
import dev.signet.ca.testing.OtherUser;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signet rotate} against {@code signet serve} and a running {@code signet agent}, all separate processes as a
 * user runs them. The control plane is killed with SIGKILL in every phase; each time it comes back in the same phase,
 * with the leaf inventory it had, and the rotation goes on to the end.
 */
class RotationCliIT {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private int grpcPort;
    private int httpPort;
    private Process serve;
    private Process agent;
    private int starts;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : new Process[] {agent, serve}) {
            if (process != null) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void startServe(String... extra) throws Exception {
        Path log = dir.resolve("serve-" + ++starts + ".log");
        List<String> args = new java.util.ArrayList<>(List.of(
                "serve",
                "--grpc-port",
                String.valueOf(grpcPort),
                "--http-port",
                String.valueOf(httpPort),
                "--rotation-settle",
                "1s"));
        args.addAll(List.of(extra));
        serve = SignetProcess.start(dir, log, args.toArray(String[]::new));
        SignetProcess.awaitLine(serve, log, "ready");
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or saved on the way out. */
    private void killServe() throws Exception {
        serve.destroyForcibly();
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private SignetProcess.Result rotate(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("rotate"));
        command.addAll(List.of(args));
        command.addAll(List.of("--address", "127.0.0.1:" + httpPort));
        return SignetProcess.run(dir, command.toArray(String[]::new));
    }

    private JsonNode status() throws Exception {
        SignetProcess.Result result = rotate("status", "-o", "json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        return json.readTree(result.out());
    }

    private JsonNode awaitStatus(String what, Predicate<JsonNode> wanted) {
        return org.awaitility.Awaitility.await(what)
                .atMost(java.time.Duration.ofSeconds(90))
                .pollInterval(java.time.Duration.ofMillis(300))
                .until(this::status, wanted::test);
    }

    private static Predicate<JsonNode> phase(String phase) {
        return status -> status.path("phase").asText().equals(phase);
    }

    private List<String> roots(String file) throws Exception {
        return Pem.certificates(Files.readString(dir.resolve(file))).stream()
                .map(Fingerprints::sha256)
                .toList();
    }

    @Test
    void signet_rotate_walks_every_phase_and_a_killed_control_plane_resumes_each_phase_where_it_was() throws Exception {
        grpcPort = SignetProcess.freePort();
        httpPort = SignetProcess.freePort();
        startServe();
        String r1 = roots(".signet/ca/root-cert.pem").get(0);
        SignetProcess.Result token =
                SignetProcess.run(dir, "token", "--namespace", "shop", "--service-account", "checkout");
        Files.writeString(dir.resolve("token"), token.out());
        agent = SignetProcess.start(
                dir,
                dir.resolve("agent.log"),
                "agent",
                "--ca-address",
                "localhost:" + grpcPort,
                "--ca-root",
                ".signet/root-cert.pem",
                "--token-file",
                "token",
                "--out",
                "certs",
                "--workload",
                "shop/checkout");

        JsonNode none = awaitStatus(
                "the agent's watch",
                s -> s.path("bundleVersion").asLong() == 1 && Files.exists(dir.resolve("certs/cert-chain.pem")));
        assertThat(none.path("phase").asText()).isEqualTo("NONE");
        SignetProcess.Result nothing = rotate("advance");
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.err()).contains("signet: refused: no rotation is in progress");

        SignetProcess.Result nobody =
                SignetProcess.run(dir, "rotate", "status", "--address", "127.0.0.1:" + SignetProcess.freePort());
        assertThat(nobody.exitCode()).as("not a refusal: nothing answered").isEqualTo(3);
        assertThat(nobody.err())
                .contains("signet: cannot connect to the control plane at 127.0.0.1:")
                .contains("--address")
                .doesNotContain("refused");

        SignetProcess.Result started = rotate("start", "--manual");
        assertThat(started.exitCode()).as(started.err()).isZero();
        SignetProcess.Result issuerMidRotation = rotate("issuer");
        assertThat(issuerMidRotation.exitCode()).isEqualTo(1);
        assertThat(issuerMidRotation.err()).contains("is in PREPARE; rotate the issuer once it completes");
        assertThat(started.out()).contains(": PREPARE (manual), trust bundle v2");
        JsonNode prepare = awaitStatus(
                "the agent's confirmation of v2", s -> s.path("confirmed").asInt() == 1);
        assertThat(prepare.path("total").asInt()).isEqualTo(1);
        String id = prepare.path("id").asText();
        String r2 = prepare.path("toRoot").asText();
        assertThat(roots("certs/root-cert.pem")).containsExactlyInAnyOrder(r1, r2);
        assertThat(prepare.path("oldRootLeavesInUse").asLong())
                .as("the agent's leaf and the serving certificate")
                .isEqualTo(2);

        killServe();
        startServe();
        JsonNode resumed = status();
        assertThat(resumed.path("id").asText()).isEqualTo(id);
        assertThat(resumed.path("phase").asText()).isEqualTo("PREPARE");
        assertThat(resumed.path("bundleVersion").asLong()).isEqualTo(2);
        assertThat(resumed.path("oldRootLeavesInUse").asLong())
                .as("the agent's leaf, from the journal, and the new serving certificate (the old one is out of use)")
                .isEqualTo(2);
        assertThat(roots(".signet/root-cert.pem")).containsExactlyInAnyOrder(r1, r2);

        assertThat(rotate("advance").exitCode()).isZero();
        JsonNode activate = awaitStatus(
                "ACTIVATE with every leaf renewed",
                phase("ACTIVATE").and(s -> s.path("oldRootLeavesInUse").asLong() == 0));
        assertThat(activate.path("gateOpen").asBoolean()).isTrue();

        killServe();
        startServe();
        JsonNode activeAgain = status();
        assertThat(activeAgain.path("phase").asText()).isEqualTo("ACTIVATE");
        assertThat(activeAgain.path("oldRootLeavesInUse").asLong())
                .as("renewals survive in the journal")
                .isZero();

        assertThat(rotate("advance").exitCode()).isZero();
        awaitStatus(
                "RETIRE confirmed", phase("RETIRE").and(s -> s.path("confirmed").asInt() == 1));
        assertThat(roots("certs/root-cert.pem")).containsExactly(r2);

        killServe();
        startServe();
        assertThat(status().path("phase").asText()).isEqualTo("RETIRE");
        assertThat(status().path("bundleVersion").asLong()).isEqualTo(3);

        assertThat(rotate("advance").exitCode()).isZero();
        awaitStatus("COMPLETE", phase("COMPLETE"));
        SignetProcess.Result text = rotate("status");
        assertThat(text.out()).contains("rotation " + id + ": COMPLETE (manual), trust bundle v3");
        assertThat(roots(".signet/ca/root-cert.pem")).containsExactly(r2);
        assertThat(roots(".signet/root-cert.pem")).containsExactly(r2);
        assertThat(dir.resolve(".signet/rotation/next")).doesNotExist();
        awaitStatus(
                "the agent's chain under the new root",
                s -> Openssl.run(
                                dir.resolve("certs"),
                                "verify",
                                "-CAfile",
                                "root-cert.pem",
                                "-untrusted",
                                "cert-chain.pem",
                                "cert-chain.pem")
                        .ok());

        killServe();
        startServe();
        JsonNode after = status();
        assertThat(after.path("phase").asText()).isEqualTo("COMPLETE");
        assertThat(after.path("bundleVersion").asLong())
                .as("the version never goes back")
                .isEqualTo(3);
        assertThat(roots(".signet/root-cert.pem")).containsExactly(r2);

        // A new issuer under the same root: no bundle phase; it is the CA kept in the state directory from now on.
        String oldIssuer = Files.readString(dir.resolve(".signet/ca/ca-cert.pem"));
        SignetProcess.Result issuer = rotate("issuer", "--validity", "30d");
        assertThat(issuer.exitCode()).as(issuer.err()).isZero();
        assertThat(issuer.out())
                .containsPattern(
                        "issuer: .*Signet Intermediate CA .*, valid until .*, under root " + r2.substring(0, 16));
        assertThat(Files.readString(dir.resolve(".signet/ca/ca-cert.pem"))).isNotEqualTo(oldIssuer);
        assertThat(status().path("bundleVersion").asLong()).isEqualTo(3);
        assertThat(roots(".signet/ca/root-cert.pem")).containsExactly(r2);
        killServe();
        startServe();
        assertThat(status().path("issuer").path("subject").asText())
                .as("the new issuer survives a restart")
                .isEqualTo(Openssl.ok(
                                dir,
                                "x509",
                                "-in",
                                dir.resolve(".signet/ca/ca-cert.pem").toString(),
                                "-noout",
                                "-subject",
                                "-nameopt",
                                "RFC2253")
                        .trim()
                        .replaceFirst("^subject=", ""));
    }

    @Test
    void the_rotation_endpoint_refuses_callers_from_other_hosts() throws Exception {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address)
                .findFirst();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to call from");
        grpcPort = SignetProcess.freePort();
        httpPort = SignetProcess.freePort();
        startServe("--address", "0.0.0.0", "--http-address", "0.0.0.0");

        HttpClient http = HttpClient.newHttpClient();
        String host = external.get().getHostAddress();
        for (String path : List.of("/rotation", "/rotation/start")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + path));
            HttpResponse<String> answer = http.send(
                    path.endsWith("start")
                            ? request.POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build()
                            : request.build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path + " from " + host).isEqualTo(403);
            assertThat(answer.body()).contains("loopback callers only");
        }
        assertThat(status().path("phase").asText()).as("nothing started").isEqualTo("NONE");
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + "/q/health/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("health stays reachable for probes").isEqualTo(200);

        SignetProcess.Result bad = rotate("start", "--key-type", "dsa-1024");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown key type \"dsa-1024\"");
    }

    @Test
    void admin_requests_need_the_owner_only_credential_and_refuse_browsers_rebinding_and_key_paths() throws Exception {
        grpcPort = SignetProcess.freePort();
        httpPort = SignetProcess.freePort();
        startServe();
        Path state = dir.resolve(".signet");
        String token = dev.signet.controlplane.admin.AdminCredential.read(state);
        String json = "Content-Type: application/json";
        String auth = "Authorization: Bearer " + token;
        String host = "Host: 127.0.0.1:" + httpPort;

        // What an unprivileged local process, a sidecar or a port-forward can send: no credential.
        assertThat(post("/rotation/start", host + "\n" + json, "{}").status()).isEqualTo(401);
        assertThat(post(
                                "/rotation/force",
                                host + "\n" + json + "\nAuthorization: Bearer " + "x".repeat(43),
                                "{\"reason\":\"r\"}")
                        .status())
                .isEqualTo(401);
        assertThat(RawHttp.send(httpPort, "GET /debug/proxies HTTP/1.1\n" + host, "")
                        .status())
                .isEqualTo(401);
        assertThat(RawHttp.send(httpPort, "GET /rotation HTTP/1.1\n" + host, "").status())
                .isEqualTo(401);
        // A web page: it cannot read the credential, but refuse it even if it had it (CSRF, DNS rebinding, forms).
        assertThat(post("/rotation/start", host + "\n" + json + "\n" + auth + "\nOrigin: http://evil.example", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(post("/rotation/start", host + "\n" + json + "\n" + auth + "\nSec-Fetch-Site: cross-site", "{}")
                        .status())
                .isEqualTo(403);
        RawHttp.Answer rebound =
                post("/rotation/start", "Host: evil.example:" + httpPort + "\n" + json + "\n" + auth, "{}");
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(rebound.text()).contains("not a loopback name");
        assertThat(post("/rotation/start", host + "\nContent-Type: text/plain\n" + auth, "{}")
                        .status())
                .isEqualTo(415);
        // Key material is uploaded, never read from a path the caller names.
        SignetProcess.Result init = SignetProcess.run(dir, "ca", "init", "--out", "attacker-ca");
        assertThat(init.exitCode()).as(init.err()).isZero();
        RawHttp.Answer path = post(
                "/rotation/start",
                host + "\n" + json + "\n" + auth,
                "{\"rootDirectory\":\"" + dir.resolve("attacker-ca") + "\"}");
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.text()).contains("reads no key material from a path");
        assertThat(status().path("phase").asText()).as("nothing started").isEqualTo("NONE");

        // The credential is the owner's alone: another local user can read neither it nor the directory around it,
        // and the file alone still refuses them when the directory is opened up.
        assertThat(java.nio.file.Files.getPosixFilePermissions(state.resolve("admin-token")))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        if (OtherUser.available()) {
            java.nio.file.Files.setPosixFilePermissions(
                    dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            assertThat(OtherUser.run("cat", state.resolve("admin-token").toString())
                            .exitCode())
                    .isNotZero();
            java.nio.file.Files.setPosixFilePermissions(
                    state, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            OtherUser.Result denied =
                    OtherUser.run("cat", state.resolve("admin-token").toString());
            assertThat(denied.exitCode()).isNotZero();
            assertThat(denied.output()).contains("Permission denied");
        }

        // The owner's CLI uploads a CA made elsewhere; the rotation to it starts and is rolled back.
        SignetProcess.Result started = rotate("start", "--manual", "--root-dir", "attacker-ca");
        assertThat(started.exitCode()).as(started.err()).isZero();
        assertThat(status().path("toRoot").asText())
                .isEqualTo(roots("attacker-ca/root-cert.pem").get(0));
        SignetProcess.Result back = rotate("rollback");
        assertThat(back.exitCode()).as(back.err()).isZero();
        SignetProcess.Result elsewhere = SignetProcess.run(
                dir, "rotate", "status", "--state-dir", "nowhere", "--address", "127.0.0.1:" + httpPort);
        assertThat(elsewhere.exitCode()).isEqualTo(1);
        assertThat(elsewhere.err()).contains("no admin credential at nowhere/admin-token");
    }

    private RawHttp.Answer post(String path, String headers, String body) throws Exception {
        return RawHttp.send(httpPort, "POST " + path + " HTTP/1.1\n" + headers, body);
    }

    @Test
    void an_ageing_root_raises_the_metric_a_warning_and_the_inspect_exit_code_and_may_start_a_rotation()
            throws Exception {
        SignetProcess.Result init = SignetProcess.run(
                dir, "ca", "init", "--out", ".signet/ca", "--root-validity", "30d", "--intermediate-validity", "20d");
        assertThat(init.exitCode()).as(init.err()).isZero();
        grpcPort = SignetProcess.freePort();
        httpPort = SignetProcess.freePort();
        startServe("--root-expiry-margin", "60d", "--auto-rotate");

        String metrics = SignetProcess.http(httpPort, "/q/metrics");
        assertThat(metrics).contains("signet_ca_root_expiry_margin_reached 1.0");
        assertThat(metrics).as("30 days").containsPattern("signet_ca_root_remaining_seconds 259[01][0-9]{3}\\.");
        assertThat(metrics)
                .as("20 days")
                .containsPattern("signet_ca_intermediate_remaining_seconds 172[78][0-9]{3}\\.");
        assertThat(Files.readString(dir.resolve("serve-1.log"))).contains("within its margin (60d); rotate it");
        SignetProcess.Result inspect =
                SignetProcess.run(dir, "ca", "inspect", "--margin", "60d", ".signet/ca/root-cert.pem");
        assertThat(inspect.exitCode()).isEqualTo(3);

        JsonNode started = awaitStatus(
                "the rotation --auto-rotate starts",
                s -> !s.path("phase").asText().equals("NONE"));
        assertThat(started.path("mode").asText()).isEqualTo("AUTOMATIC");
        awaitStatus("the rotation to complete (no agents to wait for)", phase("COMPLETE"));
        String fresh = SignetProcess.http(httpPort, "/q/metrics");
        assertThat(fresh)
                .as("the rotation's gauges once it completed")
                .contains("signet_rotation_running 0.0", "signet_rotation_phase{phase=\"activate\"} 0.0")
                .contains("signet_rotation_forced_gates 0.0", "signet_trust_bundle_version 3.0");
        assertThat(fresh).as("the new root has ten years").contains("signet_ca_root_expiry_margin_reached 0.0");
        SignetProcess.Result after =
                SignetProcess.run(dir, "ca", "inspect", "--margin", "60d", ".signet/ca/root-cert.pem");
        assertThat(after.exitCode()).as(after.err()).isZero();
    }
}
