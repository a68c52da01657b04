package dev.signet.cli.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The hint for a Manual rotation at its target names what works where the rotation is driven from. */
class RotationStatusTextTest {

    private static String print(String drivenBy) throws Exception {
        var status = new ObjectMapper().readTree("""
                {"id": "spring", "phase": "ACTIVATE", "mode": "MANUAL", "target": "ACTIVATE", "bundleVersion": 3,
                 "gate": "every workload confirmed", "gateOpen": true, "confirmed": 2, "total": 2,
                 "oldRootLeavesInUse": 0, "drivenBy": "%s"}
                """.formatted(drivenBy));
        StringWriter out = new StringWriter();
        RotationStatusText.print(status, new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void in_a_cluster_the_hint_is_the_resources_target_phase() throws Exception {
        assertThat(print("RootRotation"))
                .contains("kubectl patch rootrotation NAME --type=merge -p '{\"spec\":{\"targetPhase\":\"Retire\"}}'")
                .contains("'signet rotate advance --cluster'")
                .doesNotContain("'signet rotate advance'");
    }

    @Test
    void standalone_the_hint_is_rotate_advance() throws Exception {
        assertThat(print("admin")).contains("'signet rotate advance'").doesNotContain("kubectl");
    }
}
