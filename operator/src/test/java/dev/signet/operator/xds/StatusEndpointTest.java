package dev.signet.operator.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.operator.ControlPlane;
import dev.signet.operator.ControlPlaneConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP port as an operator or Prometheus reads it, over a real HTTP connection. */
class StatusEndpointTest {

    @TempDir
    Path dir;

    @Test
    void health_readiness_metrics_and_proxy_status() throws Exception {
        Path mesh = dir.resolve("mesh");
        Files.createDirectories(mesh);
        Files.writeString(mesh.resolve("w.yaml"), """
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: payments, namespace: shop, labels: {app: payments}}
                spec: {serviceAccount: payments, address: 127.0.0.1, ports: [{port: 8080, protocol: GRPC}]}
                """);
        try (ControlPlane controlPlane = ControlPlane.start(ControlPlaneConfig.defaults(dir.resolve("state"))
                .withEphemeralPorts().withStandaloneDirectory(mesh).withTiming(Duration.ofMillis(50), Duration.ofMillis(100)),
                Clock.systemUTC(), new SecureRandom())) {
            assertThat(get(controlPlane, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(controlPlane, "/readyz").body()).isEqualTo("ready\n");

            KeyPair keys = Csrs.ecP256();
            X509Svid svid = controlPlane.ca().sign(Csrs.der(keys), SpiffeId.forServiceAccount("cluster.local", "shop", "payments"), null);
            try (AdsTestClient proxy = new AdsTestClient(controlPlane.grpcPort(), controlPlane.trustBundle().roots(),
                    keys.getPrivate(), svid.chain(), "signet~shop~payments")) {
                String listener = "grpc/server?xds.resource.listening_address=0.0.0.0:8080";
                proxy.subscribe(TypeUrls.LISTENER, List.of(listener));
                var response = proxy.response();
                proxy.nack(response, List.of(listener), "bad \"quote\"");
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                String metrics = "";
                while (System.nanoTime() < deadline && !metrics.contains("signet_xds_nacks_total 1")) {
                    metrics = get(controlPlane, "/metrics").body();
                    Thread.sleep(20);
                }
                assertThat(metrics).contains("# TYPE signet_ca_certificates_issued_total counter")
                        .contains("signet_xds_connected_proxies 1")
                        .contains("signet_xds_nacks_total 1")
                        .contains("signet_trust_bundle_version 1")
                        .contains("# TYPE signet_xds_push_seconds summary")
                        .contains("signet_xds_proxies_out_of_sync{type=\"LDS\"} 1");
                String proxies = get(controlPlane, "/debug/proxies").body();
                assertThat(proxies).contains("\"workload\" : \"shop/payments\"")
                        .contains("\"nacked\" : \"" + response.getVersionInfo() + "\"")
                        .contains("bad \\\"quote\\\"");
            }
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + controlPlane.httpPort() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    private static HttpResponse<String> get(ControlPlane controlPlane, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPlane.httpPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
