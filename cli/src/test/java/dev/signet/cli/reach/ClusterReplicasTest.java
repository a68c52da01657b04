package dev.signet.cli.reach;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where a replica's HTTP port and admin credential are, read from its Pod as the chart writes it. */
class ClusterReplicasTest {

    private static Pod pod(String workingDir, Integer httpPort) {
        var container = new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("signet")
                .withWorkingDir(workingDir);
        if (httpPort != null) {
            container
                    .addNewPort()
                    .withName("grpc")
                    .withContainerPort(15012)
                    .endPort()
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(httpPort)
                    .endPort();
        }
        return new PodBuilder()
                .withNewSpec()
                .addNewContainer()
                .withName("sidecar")
                .endContainer()
                .addToContainers(container.build())
                .endSpec()
                .build();
    }

    @Test
    void the_credential_is_in_the_state_directory_under_the_containers_working_directory() {
        assertThat(ClusterReplicas.credentialPath(pod("/var/lib/signet", 15014), Path.of(".signet")))
                .isEqualTo("/var/lib/signet/.signet/admin-token");
        assertThat(ClusterReplicas.credentialPath(pod(null, 15014), Path.of(".signet")))
                .isEqualTo("/.signet/admin-token");
        assertThat(ClusterReplicas.credentialPath(pod("/var/lib/signet", 15014), Path.of("/state")))
                .isEqualTo("/state/admin-token");
    }

    @Test
    void the_http_port_is_the_port_named_http_of_the_signet_container() {
        assertThat(ClusterReplicas.httpPort(pod("/", 16000))).isEqualTo(16000);
        assertThat(ClusterReplicas.httpPort(pod("/", null))).isEqualTo(15014);
    }
}
