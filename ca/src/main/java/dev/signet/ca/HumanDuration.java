package dev.signet.ca;

import java.time.Duration;

/** Durations in the form people write them on the command line: {@code 7d}, {@code 1h30m}, {@code 90s}. */
public final class HumanDuration {

    private HumanDuration() {}

    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /**
     * {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 7d}, or ISO-8601 ({@code PT1H}). A bare number is refused,
     * because its unit would be a guess.
     */
    public static Duration parse(String value) {
        String text = value.trim();
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw invalid(value);
            }
        }
        java.util.regex.Matcher matcher = PART.matcher(text);
        Duration total = Duration.ZERO;
        int position = 0;
        while (position < text.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw invalid(value);
            }
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(
                    switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
            position = matcher.end();
        }
        if (position == 0) {
            throw invalid(value);
        }
        return total;
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException(
                "invalid duration '" + value + "': use a number with a unit (ms, s, m, h, d), e.g. 90s, 1h30m, 7d");
    }

    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder(duration.isNegative() ? "-" : "");
        Duration d = duration.abs();
        append(out, d.toDays(), "d");
        append(out, d.toHoursPart(), "h");
        append(out, d.toMinutesPart(), "m");
        append(out, d.toSecondsPart(), "s");
        append(out, d.toMillisPart(), "ms");
        return out.toString();
    }

    private static void append(StringBuilder out, long amount, String unit) {
        if (amount > 0) {
            out.append(amount).append(unit);
        }
    }
}
