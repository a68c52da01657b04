package dev.signet.operator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.controlplane.replicas.ReplicaReport;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaReportsTest {

    private static final ReplicaReport REPORT = new ReplicaReport(
            "signet-7f9c",
            Instant.parse("2026-11-23T10:00:00Z"),
            List.of(new WorkloadConfirmation("shop/checkout", 3)),
            Map.of(
                    "aa11",
                    List.of(new ReplicaReport.Leaf(
                            "1f",
                            "spiffe://cluster.local/ns/shop/sa/checkout",
                            Instant.parse("2026-11-24T10:00:00Z")))),
            Set.of(new ReplicaReport.Replaced("e", "spiffe://cluster.local/ns/shop/sa/checkout")));

    @Test
    void a_report_goes_into_a_labelled_configmap_gzipped_and_comes_back_whole() {
        ConfigMap map = ReplicaReports.encode("signet-replica-signet-7f9c", "signet-system", REPORT, 900 * 1024);

        assertThat(map.getMetadata().getLabels()).containsEntry(ReplicaReports.LABEL, "true");
        assertThat(map.getBinaryData()).containsOnlyKeys(ReplicaReports.KEY);
        assertThat(ReplicaReports.read(map)).isEqualTo(REPORT);
    }

    @Test
    void a_report_too_large_for_a_configmap_says_so_and_the_others_cannot_read_it() {
        ConfigMap map = ReplicaReports.encode("signet-replica-signet-7f9c", "signet-system", REPORT, 16);

        assertThat(map.getBinaryData()).isNullOrEmpty();
        assertThatThrownBy(() -> ReplicaReports.read(map))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 agents and 1 leaves")
                .hasMessageContaining("more than a ConfigMap holds");
    }

    @Test
    void damaged_reports_are_refused_with_what_is_wrong() {
        assertThatThrownBy(() -> ReplicaReports.read(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("x")
                        .endMetadata()
                        .build()))
                .hasMessageContaining("no report.json.gz");
        assertThatThrownBy(() -> ReplicaReports.read(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("x")
                        .endMetadata()
                        .addToBinaryData(ReplicaReports.KEY, "bm90IGd6aXA=")
                        .build()))
                .hasMessageContaining("not gzip");
    }

    @Test
    void configmap_names_follow_the_replica_within_kubernetes_rules() {
        assertThat(ReplicaReports.name("Signet_Pod.7F9C")).isEqualTo("signet-replica-signet-pod-7f9c");
        assertThat(ReplicaReports.name("x".repeat(100))).hasSize(63);
    }
}
