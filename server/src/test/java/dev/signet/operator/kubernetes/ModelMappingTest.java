package dev.signet.operator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.model.Protocol;
import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadPort;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class ModelMappingTest {

    private static PodBuilder pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("payments-1")
                .withNamespace("shop")
                .addToLabels("app", "payments")
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName("payments")
                .addNewContainer()
                .withName("app")
                .addNewPort()
                .withName("http-api")
                .withContainerPort(8080)
                .endPort()
                .addNewPort()
                .withName("grpc")
                .withContainerPort(9090)
                .endPort()
                .addNewPort()
                .withName("metrics")
                .withContainerPort(9100)
                .endPort()
                .addNewPort()
                .withName("dns")
                .withContainerPort(53)
                .withProtocol("UDP")
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP("10.0.0.7")
                .endStatus();
    }

    @Test
    void a_pod_is_a_workload_with_its_account_labels_address_and_tcp_ports() {
        Workload workload = ModelMapping.workload(pod().build()).orElseThrow();
        assertThat(workload.metadata().name()).isEqualTo("payments-1");
        assertThat(workload.metadata().labels()).containsEntry("app", "payments");
        assertThat(workload.spec().serviceAccount()).isEqualTo("payments");
        assertThat(workload.spec().address()).isEqualTo("10.0.0.7");
        assertThat(workload.spec().ports())
                .containsExactly(
                        new WorkloadPort(8080, Protocol.HTTP, "http-api"),
                        new WorkloadPort(9090, Protocol.GRPC, "grpc"),
                        new WorkloadPort(9100, Protocol.TCP, "metrics"));
    }

    @Test
    void finished_and_deleted_pods_are_no_workloads() {
        assertThat(ModelMapping.workload(
                        pod().editStatus().withPhase("Succeeded").endStatus().build()))
                .isEmpty();
        assertThat(ModelMapping.workload(
                        pod().editStatus().withPhase("Failed").endStatus().build()))
                .isEmpty();
        assertThat(ModelMapping.workload(pod().editMetadata()
                        .withDeletionTimestamp("2026-11-23T10:00:00Z")
                        .endMetadata()
                        .build()))
                .isEmpty();
    }

    @Test
    void a_pod_without_an_account_runs_as_default() {
        Workload workload = ModelMapping.workload(
                        pod().editSpec().withServiceAccountName(null).endSpec().build())
                .orElseThrow();
        assertThat(workload.spec().serviceAccount()).isEqualTo("default");
    }

    @Test
    void port_names_follow_istio_conventions_and_anything_else_is_tcp() {
        assertThat(ModelMapping.protocol("http")).isEqualTo(Protocol.HTTP);
        assertThat(ModelMapping.protocol("HTTP2-web")).isEqualTo(Protocol.HTTP2);
        assertThat(ModelMapping.protocol("grpc-api")).isEqualTo(Protocol.GRPC);
        assertThat(ModelMapping.protocol("httpx")).isEqualTo(Protocol.TCP);
        assertThat(ModelMapping.protocol(null)).isEqualTo(Protocol.TCP);
    }
}
