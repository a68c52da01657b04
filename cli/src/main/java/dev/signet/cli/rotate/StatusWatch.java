package dev.signet.cli.rotate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.cli.Structured;
import dev.signet.cli.reach.AdminClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code signet rotate status --watch}: asks for the status every interval until the rotation completes. On a
 * terminal the whole status is redrawn in place, with a countdown to the next phase; piped, a line is written only
 * when the rotation changes, each with its time, so that a log reads as the rotation's history.
 */
final class StatusWatch {

    /** Where the status comes from: the local endpoint or the cluster's resource. */
    @FunctionalInterface
    interface Source {
        JsonNode read() throws AdminClient.Refused, InterruptedException;
    }

    /** Waits between two reads; a test's does not sleep. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Erases the {@code n} lines above the cursor (ANSI: up to the first of them, then clear to the end). */
    private static String erase(int lines) {
        return lines == 0 ? "" : "\u001b[" + lines + "F\u001b[J";
    }

    private final Source source;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PrintWriter out;
    private final boolean terminal;
    private final String format;

    StatusWatch(Source source, Clock clock, Sleeper sleeper, PrintWriter out, boolean terminal, String format) {
        this.source = source;
        this.clock = clock;
        this.sleeper = sleeper;
        this.out = out;
        this.terminal = terminal;
        this.format = format;
    }

    /** Watches until the rotation is complete (0), or none runs (0), or it was refused (1). */
    int run(Duration interval) throws AdminClient.Refused, InterruptedException {
        int shown = 0;
        String last = null;
        while (true) {
            JsonNode status = source.read();
            Instant now = clock.instant();
            if (Structured.isStructured(format)) {
                String text = format.equals("json") ? status.toString() : Structured.render(format, status) + "\n---";
                if (!text.equals(last)) {
                    out.println(text);
                    last = text;
                }
            } else if (terminal) {
                StringWriter block = new StringWriter();
                RotationStatusText.print(status, new PrintWriter(block, true), now);
                String text = block.toString();
                out.print(erase(shown) + text);
                shown = (int) text.lines().count();
            } else {
                String line = RotationStatusText.line(status);
                if (!line.equals(last)) {
                    out.println(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " " + line);
                    last = line;
                }
            }
            out.flush();
            String phase = status.path("phase").asText();
            if (phase.equals("COMPLETE") || phase.equals("NONE")) {
                return 0;
            }
            if (RotationStatusText.refused(status)) {
                return 1;
            }
            sleeper.sleep(interval);
        }
    }
}
