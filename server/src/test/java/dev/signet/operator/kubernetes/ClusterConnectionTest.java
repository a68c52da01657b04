package dev.signet.operator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConnectionTest {

    @TempDir
    Path home;

    @Test
    void no_kubeconfig_anywhere_means_standalone() {
        assertThat(ClusterConnection.detect(Optional.empty(), Map.of(), home)).isEmpty();
        assertThat(ClusterConnection.detect(
                        Optional.empty(),
                        Map.of("KUBECONFIG", home.resolve("none").toString()),
                        home))
                .isEmpty();
    }

    @Test
    void kubeconfig_from_the_option_then_the_environment_then_home() throws Exception {
        Path explicit = Files.writeString(home.resolve("explicit"), "x");
        Path fromEnvironment = Files.writeString(home.resolve("env"), "x");
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "x");
        assertThat(ClusterConnection.detect(
                                Optional.of(explicit), Map.of("KUBECONFIG", fromEnvironment.toString()), home)
                        .orElseThrow())
                .hasToString("kubeconfig " + explicit);
        assertThat(ClusterConnection.detect(Optional.empty(), Map.of("KUBECONFIG", fromEnvironment.toString()), home)
                        .orElseThrow())
                .hasToString("kubeconfig " + fromEnvironment);
        assertThat(ClusterConnection.detect(Optional.empty(), Map.of(), home).orElseThrow())
                .hasToString("kubeconfig " + home.resolve(".kube/config"));
    }

    @Test
    void an_explicit_kubeconfig_that_cannot_be_read_is_an_error_not_standalone() {
        assertThatThrownBy(() -> ClusterConnection.detect(Optional.of(home.resolve("missing")), Map.of(), home))
                .hasMessageContaining("cannot read the kubeconfig");
    }
}
