package dev.signet.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Proxies of two replicas judged per type and shown as one table, as data, and summed up. */
class ProxyStatusReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static ProxyStatusReport report() throws Exception {
        ProxyStatusReport report = new ProxyStatusReport();
        report.add("signet-b", json("""
                [{"node": "signet~shop~payments-1", "workload": "shop/payments",
                  "identity": "spiffe://cluster.local/ns/shop/sa/payments", "connectedAt": "2026-12-04T09:58:30Z",
                  "types": {"LDS": {"sent": "3", "acked": "3", "inSync": true},
                            "CDS": {"sent": "5", "acked": "4", "inSync": false, "nacked": "5",
                                    "nackError": "cluster 'x':\\n  bad   thing"},
                            "RDS": {"sent": "2", "acked": "1", "inSync": false}}}]
                """));
        report.add("signet-a", json("""
                [{"node": "signet~shop~checkout-1", "workload": "shop/checkout",
                  "identity": "spiffe://cluster.local/ns/shop/sa/checkout", "connectedAt": "2026-12-04T07:00:00Z",
                  "types": {"LDS": {"sent": "3", "acked": "3", "inSync": true},
                            "CDS": {"sent": "5", "acked": "5", "inSync": true, "nacked": "4", "nackError": "old"}}}]
                """));
        return report;
    }

    @Test
    void each_type_is_synced_nacked_stale_or_not_sent() throws Exception {
        assertThat(ProxyStatusReport.judge(json("{\"sent\": \"2\", \"acked\": \"2\"}"))
                        .state())
                .isEqualTo("SYNCED");
        assertThat(ProxyStatusReport.judge(json("{\"sent\": \"3\", \"acked\": \"2\", \"nacked\": \"3\"}"))
                        .state())
                .isEqualTo("NACKED");
        assertThat(ProxyStatusReport.judge(json("{\"sent\": \"4\", \"acked\": \"2\", \"nacked\": \"3\"}"))
                        .state())
                .as("an older NACK, a newer version unanswered")
                .isEqualTo("STALE");
        assertThat(ProxyStatusReport.judge(json("{\"acked\": null}")).state()).isEqualTo("NOT SENT");
    }

    @Test
    void the_table_has_a_line_per_proxy_the_types_in_xds_order_each_nack_and_a_summary() throws Exception {
        String text = report().text(NOW);
        assertThat(text.lines().toList())
                .containsExactly(
                        "PROXY                    WORKLOAD        REPLICA    LDS      RDS        CDS      AGE",
                        "signet~shop~checkout-1   shop/checkout   signet-a   SYNCED   NOT SENT   SYNCED   3h",
                        "signet~shop~payments-1   shop/payments   signet-b   SYNCED   STALE      NACKED   1m30s",
                        "signet~shop~payments-1 CDS NACKED version 5: cluster 'x': bad thing",
                        "2 proxies: 1 synced, 1 with a NACK, 0 waiting (2 replicas asked)");
    }

    @Test
    void as_data_each_proxy_names_its_replica_identity_and_each_types_state() throws Exception {
        ProxyStatusReport report = report();
        report.unreachable("signet-c: cannot port-forward: 403 forbidden");
        JsonNode tree = report.tree(JSON);
        assertThat(tree.path("replicas").toString()).isEqualTo("[\"signet-b\",\"signet-a\"]");
        assertThat(tree.path("unreachable").get(0).asText()).startsWith("signet-c: ");
        JsonNode payments = tree.path("proxies").get(1);
        assertThat(payments.path("identity").asText()).isEqualTo("spiffe://cluster.local/ns/shop/sa/payments");
        assertThat(payments.path("replica").asText()).isEqualTo("signet-b");
        assertThat(payments.at("/types/CDS/state").asText()).isEqualTo("NACKED");
        assertThat(payments.at("/types/CDS/error").asText()).contains("bad   thing");
        assertThat(payments.at("/types/LDS/nacked").isMissingNode()).isTrue();
        assertThat(report.text(NOW)).endsWith("(2 replicas asked, 1 unreachable)" + System.lineSeparator());
    }

    @Test
    void no_proxy_says_so() {
        ProxyStatusReport report = new ProxyStatusReport();
        report.add("127.0.0.1:15014", JSON.createArrayNode());
        assertThat(report.text(NOW)).isEqualTo("no proxy connected (1 replica asked)" + System.lineSeparator());
    }
}
