package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationConverterTest {

    @ParameterizedTest
    @CsvSource({"90s,PT1M30S", "30m,PT30M", "1h30m,PT1H30M", "7d,PT168H", "250ms,PT0.25S", "PT2H,PT2H"})
    void parses_what_people_write(String text, String iso) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "", "h", "1x", "1h 30m", "-1h", "1h30", "P1X"})
    void refuses_ambiguous_or_malformed_durations(String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text)).hasMessageContaining("invalid duration");
    }
}
