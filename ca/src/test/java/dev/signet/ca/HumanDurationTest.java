package dev.signet.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
    @Test
    void formats_like_the_command_line_accepts() {
        assertThat(HumanDuration.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(HumanDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(HumanDuration.format(Duration.ofSeconds(5).plusMillis(20))).isEqualTo("5s20ms");
        assertThat(HumanDuration.format(Duration.ofHours(-1))).isEqualTo("-1h");
        assertThat(HumanDuration.format(Duration.ZERO)).isEqualTo("0s");
    }
}
