package dev.signet.cli.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A RootRotation's status read into the standalone endpoint's fields, so that one printer shows both. */
class ClusterRotationsTest {

    private static JsonNode status(String yaml) {
        GenericKubernetesResource resource = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        return new ClusterRotations(null).statusOf(resource);
    }

    @Test
    void the_resources_status_becomes_the_endpoints_fields() {
        JsonNode status = status("""
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: autumn}
                spec: {mode: Manual, targetPhase: Retire}
                status:
                  rotationId: autumn
                  phase: Activate
                  rollingBack: false
                  bundleVersion: 4
                  gate: "1 leaf in use under the old root"
                  gateOpen: false
                  confirmed: 3/4
                  laggards: ["spiffe://cluster.local/ns/shop/sa/checkout (serial 3f)"]
                  namespacesPublished: 5/6
                  oldRootLeavesInUse: 1
                  fromRoot: aaaa
                  toRoot: bbbb
                  phaseTimes: {prepare: "2026-12-04T10:00:00Z", activate: "2026-12-04T10:01:00Z"}
                  forced: [{phase: Prepare, reason: gone, at: "2026-12-04T10:00:30Z"}]
                  conditions:
                  - {type: Stalled, status: "True", reason: GateHeld, message: "Activate held for 2d1m"}
                """);
        assertThat(status.path("phase").asText()).isEqualTo("ACTIVATE");
        assertThat(status.path("mode").asText()).isEqualTo("MANUAL");
        assertThat(status.path("target").asText()).isEqualTo("RETIRE");
        assertThat(status.path("confirmed").asInt()).isEqualTo(3);
        assertThat(status.path("total").asInt()).isEqualTo(4);
        assertThat(status.path("namespacesPublished").asInt()).isEqualTo(5);
        assertThat(status.path("namespacesTotal").asInt()).isEqualTo(6);
        assertThat(status.path("enteredAt").path("ACTIVATE").asText()).isEqualTo("2026-12-04T10:01:00Z");
        assertThat(status.path("forced").get(0).path("phase").asText()).isEqualTo("PREPARE");
        StringWriter text = new StringWriter();
        RotationStatusText.print(status, new PrintWriter(text, true));
        assertThat(text.toString())
                .contains("rotation autumn: ACTIVATE (manual), trust bundle v4")
                .contains("gate: 1 leaf in use under the old root (waiting)")
                .contains("holding it: spiffe://cluster.local/ns/shop/sa/checkout (serial 3f)")
                .contains("FORCED PREPARE gate at 2026-12-04T10:00:30Z: gone")
                .contains("Stalled (GateHeld): Activate held for 2d1m");
    }

    @Test
    void a_manual_rotation_without_a_target_goes_no_further_than_prepare() {
        JsonNode status = status("""
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: autumn}
                spec: {mode: Manual}
                status: {rotationId: autumn, phase: Prepare, gateOpen: true, confirmed: 2/2}
                """);
        assertThat(status.path("target").asText()).isEqualTo("PREPARE");
        StringWriter text = new StringWriter();
        RotationStatusText.print(status, new PrintWriter(text, true));
        assertThat(text.toString()).contains("\"targetPhase\":\"Activate\"");
    }

    @Test
    void a_resource_not_reconciled_yet_is_pending() {
        JsonNode status = status("""
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: winter}
                spec: {}
                """);
        assertThat(status.path("phase").asText()).isEqualTo("PENDING");
        assertThat(status.path("mode").asText()).isEqualTo("AUTOMATIC");
        assertThat(RotationStatusText.line(status)).isEqualTo("RootRotation winter: not started yet");
    }
}
