package dev.signet.controlplane.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RotationJsonTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private final RotationJson json = new RotationJson();

    @Test
    void a_record_survives_the_round_trip_with_its_phases_and_forced_gates() {
        RootRotation rotation = RootRotation.start("rot-1", "r1", "r2", RotationMode.MANUAL, 4, T0)
                .force("node gone", T0.plusSeconds(5));
        RotationRecord record = new RotationRecord(5, Optional.of(rotation), true);

        RotationRecord read = json.read(json.write(record));

        assertThat(read).isEqualTo(record);
        assertThat(read.rotation().orElseThrow().forced())
                .containsExactly(new ForcedGate(RotationPhase.PREPARE, "node gone", T0.plusSeconds(5)));
        assertThat(json.read(json.write(RotationRecord.INITIAL))).isEqualTo(RotationRecord.INITIAL);
    }

    @Test
    void a_damaged_state_is_refused_naming_what_is_wrong() {
        assertThatThrownBy(() -> json.read("{\"bundleVersion\": ")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> json.read("{}")).hasMessageContaining("\"bundleVersion\"");
        assertThatThrownBy(() -> json.read("{\"bundleVersion\": 3, \"rotation\": {\"id\": \"x\"}}"))
                .hasMessageContaining("\"fromRoot\"");
        assertThatThrownBy(() -> json.read("{\"bundleVersion\": 0}")).hasMessageContaining("starts at 1");
    }
}
