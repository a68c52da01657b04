package dev.signet.cli;

import dev.signet.ca.HumanDuration;
import java.time.Duration;
import picocli.CommandLine;

/** Durations as people write them ({@link HumanDuration#parse}); a bad one is a usage error naming the format. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        try {
            return HumanDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
