package dev.signet.operator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.operator.ca.CaMetrics;
import dev.signet.operator.xds.ProxyStatus;
import dev.signet.operator.xds.ProxyStatusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (the CA and xDS are serving and a valid configuration is
 * loaded), {@code /metrics} (Prometheus) and {@code /debug/proxies} (each proxy's ACK/NACK state, as JSON). Bound to
 * loopback by default: it is an operator's port, never an open admin port.
 */
public final class StatusServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 15014;

    private final HttpServer server;
    private final CaMetrics ca;
    private final ProxyStatusRegistry proxies;
    private final Supplier<TrustBundle> bundle;
    private final BooleanSupplier ready;
    private final dev.signet.operator.xds.XdsServer xds;
    private final ObjectMapper json = new ObjectMapper();

    private StatusServer(HttpServer server, CaMetrics ca, ProxyStatusRegistry proxies, Supplier<TrustBundle> bundle,
                         BooleanSupplier ready, dev.signet.operator.xds.XdsServer xds) {
        this.server = server;
        this.xds = xds;
        this.ca = ca;
        this.proxies = proxies;
        this.bundle = bundle;
        this.ready = ready;
    }

    public static StatusServer start(InetSocketAddress address, CaMetrics ca, dev.signet.operator.xds.XdsServer xds,
                                     Supplier<TrustBundle> bundle, BooleanSupplier ready) throws IOException {
        HttpServer http = HttpServer.create(address, 16);
        StatusServer status = new StatusServer(http, ca, xds.registry(), bundle, ready, xds);
        http.createContext("/healthz", exchange -> status.respond(exchange, 200, "text/plain", "ok\n"));
        http.createContext("/readyz", exchange -> status.respond(exchange, ready.getAsBoolean() ? 200 : 503, "text/plain",
                ready.getAsBoolean() ? "ready\n" : "not ready\n"));
        http.createContext("/metrics", exchange -> status.respond(exchange, 200, "text/plain; version=0.0.4", status.metrics()));
        http.createContext("/debug/proxies", exchange -> status.respond(exchange, 200, "application/json", status.proxiesJson()));
        http.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "signet-status-http");
            thread.setDaemon(true);
            return thread;
        }));
        http.start();
        return status;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    String metrics() {
        PrometheusText text = new PrometheusText();
        text.metric("signet_ca_certificates_issued_total", "counter", "Certificates issued by the CA.")
                .sample("signet_ca_certificates_issued_total", ca.issuedCount());
        text.metric("signet_ca_requests_refused_total", "counter", "Certificate requests refused, by reason.");
        ca.refusedCounts().forEach((reason, count) ->
                text.sample("signet_ca_requests_refused_total", Map.of("reason", reason), count));
        text.metric("signet_trust_bundle_version", "gauge", "Version of the trust bundle being distributed.")
                .sample("signet_trust_bundle_version", bundle.get().version());
        text.metric("signet_xds_connected_proxies", "gauge", "Proxies connected over ADS.")
                .sample("signet_xds_connected_proxies", proxies.proxies().size());
        text.metric("signet_xds_acks_total", "counter", "xDS responses proxies accepted.")
                .sample("signet_xds_acks_total", proxies.ackCount());
        text.metric("signet_xds_nacks_total", "counter", "xDS responses proxies rejected.")
                .sample("signet_xds_nacks_total", proxies.nackCount());
        text.metric("signet_xds_push_seconds", "summary", "From a configuration change to its push to every proxy stream.")
                .sample("signet_xds_push_seconds_count", xds.pushCount())
                .sample("signet_xds_push_seconds_sum", xds.pushSecondsTotal());
        text.metric("signet_xds_last_push_seconds", "gauge", "Duration of the last push.")
                .sample("signet_xds_last_push_seconds", xds.lastPushSeconds());
        text.metric("signet_xds_proxies_out_of_sync", "gauge", "Proxies whose last response is not ACKed yet, by type.");
        for (String type : new String[] {"LDS", "CDS", "EDS"}) {
            long behind = proxies.proxies().stream().map(p -> p.types().get(type)).filter(s -> s != null && !s.inSync()).count();
            text.sample("signet_xds_proxies_out_of_sync", Map.of("type", type), behind);
        }
        return text.toString();
    }

    String proxiesJson() throws IOException {
        ArrayNode array = json.createArrayNode();
        for (ProxyStatus proxy : proxies.proxies()) {
            ObjectNode node = array.addObject();
            node.put("node", proxy.nodeId());
            node.put("workload", proxy.workload());
            node.put("identity", proxy.identity());
            node.put("connectedAt", proxy.connectedAt().toString());
            ObjectNode types = node.putObject("types");
            proxy.types().forEach((type, status) -> {
                ObjectNode t = types.putObject(type);
                t.put("sent", status.sentVersion());
                t.put("acked", status.ackedVersion());
                t.put("inSync", status.inSync());
                if (status.nackedVersion() != null) {
                    t.put("nacked", status.nackedVersion());
                    t.put("nackError", status.nackError());
                }
            });
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(array);
    }

    private void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
