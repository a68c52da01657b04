package dev.signet.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.controlplane.ControlPlaneConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void every_setting_has_an_option_named_after_its_key_and_groups_are_flattened() {
        assertThat(Settings.catalog())
                .extracting(Setting::option)
                .contains("--state-dir", "--trust-domain", "--rotation-settle", "--issuance-burst-per-identity")
                .doesNotHaveDuplicates()
                .isSorted();
        Setting settle = Settings.catalog().stream()
                .filter(s -> s.key().equals("rotation.settle"))
                .findFirst()
                .orElseThrow();
        assertThat(settle.defaultValue()).contains("15s");
        assertThat(settle.label()).isEqualTo("DURATION");
        assertThat(settle.environmentVariable()).isEqualTo("SIGNET_ROTATION_SETTLE");
        assertThat(Settings.catalog())
                .filteredOn(Setting::flag)
                .extracting(Setting::option)
                .containsExactly("--auto-rotate", "--istio-root-cert-config-map");
    }

    @Test
    void the_catalogue_names_each_method_of_the_mapping_as_smallrye_does() {
        // The count ties the catalogue to the mapping: a method the reflection skipped would be missing here.
        long methods = java.util.Arrays.stream(ServeSettings.class.getDeclaredMethods())
                        .filter(m -> m.getReturnType().getEnclosingClass() != ServeSettings.class)
                        .count()
                + ServeSettings.Issuance.class.getDeclaredMethods().length
                + ServeSettings.Rotation.class.getDeclaredMethods().length
                + ServeSettings.Injection.class.getDeclaredMethods().length
                + ServeSettings.Istio.class.getDeclaredMethods().length;
        assertThat(Settings.catalog()).hasSize((int) methods);
        assertThat(Settings.kebab("rootExpiryMargin")).isEqualTo("root-expiry-margin");
        assertThat(Settings.kebab("stateDir")).isEqualTo("state-dir");
    }

    @Test
    void defaults_are_the_declared_ones_and_given_values_win() {
        ServeSettings defaults = Settings.load(Map.of(), Settings.Sources.GIVEN_ONLY);
        assertThat(defaults.trustDomain()).isEqualTo(ServeSettings.DEFAULT_TRUST_DOMAIN);
        assertThat(defaults.namespace()).isEqualTo("signet-system");
        assertThat(defaults.rotation().settle()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.issuance().burstPerIdentity()).isEqualTo(200);
        assertThat(defaults.standalone()).isEmpty();

        ServeSettings given = Settings.load(
                Map.of("trust-domain", "example.org", "rotation.settle", "1m30s", "max-ttl", "7d"),
                Settings.Sources.GIVEN_ONLY);
        assertThat(given.trustDomain()).isEqualTo("example.org");
        assertThat(given.rotation().settle()).isEqualTo(Duration.ofSeconds(90));
        assertThat(given.maxTtl()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void a_bad_value_is_refused_naming_its_key_and_value() {
        assertThatThrownBy(() -> Settings.load(Map.of("max-ttl", "5x"), Settings.Sources.GIVEN_ONLY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signet.max-ttl = \"5x\": invalid duration '5x'");
        assertThatThrownBy(() -> Settings.load(Map.of("grpc-port", "abc"), Settings.Sources.GIVEN_ONLY))
                .hasMessageContaining("signet.grpc-port = \"abc\"");
        assertThatThrownBy(() -> ControlPlaneConfig.defaults(Path.of("s")).with("root-expiry-margin", "lots"))
                .hasMessageStartingWith("--root-expiry-margin: ");
        assertThatThrownBy(() -> ControlPlaneConfig.defaults(Path.of("s")).with("istio.server-names", "istiod..svc"))
                .hasMessageContaining("--istio-…")
                .hasMessageContaining("\"istiod..svc\" is not a DNS name");
        assertThatThrownBy(() -> ControlPlaneConfig.defaults(Path.of("s")).with("istio.rotation-ttl", "10s"))
                .hasMessageContaining("the rotation lifetime must be at least 1m");
        assertThatThrownBy(() -> ControlPlaneConfig.defaults(Path.of("s")).with("rotation.tick", "0s"))
                .hasMessageContaining("rotation timings must be positive");
    }

    @Test
    void a_configuration_changed_by_with_keeps_everything_else() {
        ControlPlaneConfig base = ControlPlaneConfig.defaults(Path.of("state"));
        ControlPlaneConfig changed = base.withTrustDomain("example.org").with("namespace", "mesh");
        assertThat(changed.stateDirectory()).isEqualTo(Path.of("state"));
        assertThat(changed.trustDomain()).isEqualTo("example.org");
        assertThat(changed.servingDnsNames()).contains("signet.mesh.svc");
        assertThat(base.trustDomain()).isEqualTo("cluster.local");
        assertThat(changed.withEphemeralPorts().grpcAddress().getPort()).isZero();
    }
}
