package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.testing.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's flow with separate processes: serve, token, agent --once; openssl checks the files. */
class StandaloneCaIT {

    @TempDir
    Path dir;

    private static String http(int port, String path) throws Exception {
        return SignetProcess.http(port, path);
    }

    @Test
    void serve_token_agent_and_openssl() throws Exception {
        int port = SignetProcess.freePort();
        int httpPort = SignetProcess.freePort();
        Path log = dir.resolve("serve.log");
        Process serve = SignetProcess.start(
                dir, log, "serve", "--grpc-port", String.valueOf(port), "--http-port", String.valueOf(httpPort));
        try {
            SignetProcess.awaitLine(serve, log, "ready");
            SignetProcess.Result token =
                    SignetProcess.run(dir, "token", "--namespace", "shop", "--service-account", "checkout");
            assertThat(token.exitCode()).as(token.err()).isZero();
            Files.writeString(dir.resolve("token"), token.out());

            SignetProcess.Result agent = SignetProcess.run(
                    dir,
                    "agent",
                    "--ca-address",
                    "localhost:" + port,
                    "--ca-root",
                    ".signet/root-cert.pem",
                    "--token-file",
                    "token",
                    "--out",
                    "certs",
                    "--once");
            assertThat(agent.exitCode()).as(agent.err()).isZero();
            assertThat(agent.out()).contains("spiffe://cluster.local/ns/shop/sa/checkout");
            assertThat(Openssl.ok(
                            dir,
                            "verify",
                            "-CAfile",
                            "certs/root-cert.pem",
                            "-untrusted",
                            "certs/cert-chain.pem",
                            "-purpose",
                            "sslserver",
                            "certs/cert-chain.pem"))
                    .contains("OK");

            Files.writeString(dir.resolve("forged"), token.out().replaceFirst("\\.[^.]+$", ".AAAA"));
            SignetProcess.Result refused = SignetProcess.run(
                    dir,
                    "agent",
                    "--ca-address",
                    "localhost:" + port,
                    "--ca-root",
                    ".signet/root-cert.pem",
                    "--token-file",
                    "forged",
                    "--out",
                    "certs2",
                    "--once");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("refused (bad_signature)");
            assertThat(dir.resolve("certs2")).doesNotExist();

            // What an operator and Prometheus see on the HTTP port.
            assertThat(http(httpPort, "/q/health/ready")).contains("\"status\": \"UP\"");
            String metrics = http(httpPort, "/q/metrics");
            assertThat(metrics)
                    .contains("signet_ca_certificates_issued_total 1.0")
                    .contains("signet_ca_requests_refused_total{reason=\"bad_signature\"} 1.0")
                    .contains("signet_trust_bundle_version 1.0")
                    .contains("signet_xds_connected_proxies 0.0")
                    .contains("signet_xds_push_seconds_count")
                    .contains("signet_xds_nacks_total{type=\"LDS\"} 0.0")
                    .contains("signet_leader 1.0")
                    .contains("signet_rotation_running 0.0")
                    .contains("signet_rotation_phase{phase=\"prepare\"} 0.0")
                    .containsPattern(
                            "signet_build_info\\{commit=\"[0-9a-f]{12}\",version=\"\\d+\\.\\d+\\.\\d+[^\"]*\"} 1.0")
                    .contains("signet_policies{source=\"folder\",state=\"invalid\"} 0.0")
                    .containsPattern("signet_ca_root_expiry_timestamp_seconds [0-9.]+E9")
                    .as("gRPC calls by method and code, and the CSRs' durations as a histogram")
                    .containsPattern("grpc_server_handled_total\\{grpc_service=\"signet.ca.v1.CertificateService\","
                            + "grpc_method=\"CreateCertificate\",grpc_type=\"unary\",grpc_code=\"OK\",?} 1.0")
                    .containsPattern("grpc_server_handled_total\\{[^}]*grpc_method=\"CreateCertificate\""
                            + "[^}]*grpc_code=\"UNAUTHENTICATED\",?} 1.0")
                    .containsPattern("grpc_server_handling_seconds_bucket\\{[^}]*grpc_method=\"CreateCertificate\""
                            + "[^}]*le=\"\\+Inf\",?} 2.0")
                    .containsPattern("grpc_server_handling_seconds_count\\{[^}]*grpc_method=\"CreateCertificate\""
                            + "[^}]*} 2.0")
                    .containsPattern("signet_xds_push_seconds_bucket\\{le=\"1.0\",?} \\d");
            SignetProcess.Result version = SignetProcess.run(dir, "version", "--address", "127.0.0.1:" + httpPort);
            assertThat(version.exitCode()).isZero();
            assertThat(version.out().lines().toList())
                    .hasSize(2)
                    .allMatch(line ->
                            line.matches("(client|server): signet \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{12}\\)"));
            assertThat(version.out()
                            .lines()
                            .map(line -> line.substring(line.indexOf("signet")))
                            .distinct())
                    .as("the same build")
                    .hasSize(1);
            var versions = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(SignetProcess.run(dir, "version", "--address", "127.0.0.1:" + httpPort, "-o", "json")
                            .out());
            assertThat(versions.at("/servers/0/commit").asText())
                    .matches("[0-9a-f]{12}")
                    .isEqualTo(versions.at("/client/commit").asText());
            assertThat(SignetProcess.admin(httpPort, dir.resolve(".signet"), "/debug/proxies")
                            .trim())
                    .isEqualTo("[ ]");
        } finally {
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
