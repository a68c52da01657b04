package dev.signet.cli.rotate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.ca.HumanDuration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The rotation status for people: the phase and gate first, then who holds it, the phase times and forced gates. */
final class RotationStatusText {

    private RotationStatusText() {}

    static void print(JsonNode status, PrintWriter out) {
        print(status, out, null);
    }

    /** {@code now}: when given, the time until the next phase is counted down from it. */
    static void print(JsonNode status, PrintWriter out, Instant now) {
        String phase = status.path("phase").asText();
        JsonNode issuer = status.path("issuer");
        if (!issuer.isMissingNode()) {
            out.printf(
                    "issuer: %s, valid until %s, under root %s…%n",
                    issuer.path("subject").asText(),
                    issuer.path("notAfter").asText(),
                    prefix(issuer.path("root").asText()));
        }
        if (phase.equals("NONE")) {
            out.println(
                    status.has("cluster")
                            ? "no RootRotation in the cluster at "
                                    + status.path("cluster").asText()
                            : "no rotation has been started; trust bundle v"
                                    + status.path("bundleVersion").asLong());
            return;
        }
        if (phase.equals("PENDING")) {
            out.printf("RootRotation %s: not started yet%n", status.path("name").asText());
            if (status.has("queuedBehind")) {
                out.printf(
                        "  queued behind RootRotation %s, which runs now: it starts once that one completes%n",
                        status.path("queuedBehind").asText());
            }
            conditions(status, out);
            return;
        }
        out.printf(
                "rotation %s%s: %s (%s), trust bundle v%d%n",
                status.path("id").asText(),
                status.path("rollback").asBoolean() ? " (rolling back)" : "",
                phase,
                status.path("mode").asText().toLowerCase(java.util.Locale.ROOT),
                status.path("bundleVersion").asLong());
        out.printf(
                "  from root %s… to root %s…%n",
                prefix(status.path("fromRoot").asText()),
                prefix(status.path("toRoot").asText()));
        if (!phase.equals("COMPLETE")) {
            out.printf("  gate: %s (%s)%n", status.path("gate").asText(), gateState(status, now));
            if (status.path("mode").asText().equals("MANUAL")
                    && status.path("target").asText().equals(phase)) {
                out.println(
                        status.path("drivenBy").asText().equals("RootRotation")
                                ? "  manual: 'signet rotate advance --cluster' raises the RootRotation's"
                                        + " spec.targetPhase (or kubectl patch rootrotation NAME --type=merge -p"
                                        + " '{\"spec\":{\"targetPhase\":\"" + next(phase)
                                        + "\"}}') to let it take the next phase once the gate opens"
                                : "  manual: 'signet rotate advance' lets it take the next phase once the gate opens");
            }
        }
        status.path("laggards").forEach(laggard -> out.println("    holding it: " + laggard.asText()));
        out.printf(
                "  workloads confirmed: %d/%d, leaves in use under the old root: %d%n",
                status.path("confirmed").asInt(),
                status.path("total").asInt(),
                status.path("oldRootLeavesInUse").asLong());
        status.path("enteredAt")
                .fields()
                .forEachRemaining(e -> out.printf(
                        "  %-9s entered %s%n", e.getKey(), e.getValue().asText()));
        status.path("forced")
                .forEach(gate -> out.printf(
                        "  FORCED %s gate at %s: %s%n",
                        gate.path("phase").asText(),
                        gate.path("at").asText(),
                        gate.path("reason").asText()));
        conditions(status, out);
    }

    /** Open or waiting; when open and the next phase is due, when (counted down from {@code now} if given). */
    private static String gateState(JsonNode status, Instant now) {
        if (!status.path("gateOpen").asBoolean()) {
            return "waiting";
        }
        if (!status.hasNonNull("advancesAt")) {
            return "open";
        }
        Instant at = Instant.parse(status.path("advancesAt").asText());
        String next = next(status.path("phase").asText()).toUpperCase(Locale.ROOT);
        if (now == null) {
            return "open; " + next + " at " + at;
        }
        Duration left = Duration.between(now, at).truncatedTo(ChronoUnit.SECONDS);
        return left.isNegative() || left.isZero()
                ? "open; " + next + " now"
                : "open; " + next + " in " + HumanDuration.format(left);
    }

    /** What a RootRotation's conditions say that the fields above do not: a refusal, a queue, a stall. */
    private static void conditions(JsonNode status, PrintWriter out) {
        for (JsonNode condition : status.path("conditions")) {
            String type = condition.path("type").asText();
            String state = condition.path("status").asText();
            String reason = condition.path("reason").asText();
            if ((type.equals("Accepted") && state.equals("False"))
                    || (type.equals("Stalled") && state.equals("True"))
                    || (type.equals("Reconciling") && reason.equals("Queued"))) {
                out.printf(
                        "  %s (%s): %s%n",
                        type, reason, condition.path("message").asText());
            }
        }
    }

    /** True when a RootRotation was refused: it will not move until its spec is mended. */
    static boolean refused(JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals("Accepted")
                    && condition.path("status").asText().equals("False")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line, for a log or a pipe: the phase, the gate, the counts, and when the next phase is due as a time (not
     * a countdown, so that the line changes only when the rotation does).
     */
    static String line(JsonNode status) {
        String phase = status.path("phase").asText();
        if (phase.equals("NONE") || phase.equals("PENDING")) {
            StringWriter text = new StringWriter();
            print(status, new PrintWriter(text, true));
            return text.toString().strip().replaceAll("\\s*\\n\\s*", "; ");
        }
        StringBuilder line = new StringBuilder(phase);
        if (status.path("rollback").asBoolean()) {
            line.append(" (rolling back)");
        }
        line.append(" bundle v").append(status.path("bundleVersion").asLong());
        if (!phase.equals("COMPLETE")) {
            line.append(" gate ")
                    .append(gateState(status, null))
                    .append(": ")
                    .append(status.path("gate").asText());
            line.append(" confirmed ")
                    .append(status.path("confirmed").asInt())
                    .append('/')
                    .append(status.path("total").asInt());
            line.append(" old-root leaves ")
                    .append(status.path("oldRootLeavesInUse").asLong());
        }
        return line.toString();
    }

    private static String prefix(String fingerprint) {
        return fingerprint.length() > 16 ? fingerprint.substring(0, 16) : fingerprint;
    }

    /** The phase after {@code phase} as the resource writes it ({@code ACTIVATE} → {@code Activate}). */
    private static String next(String phase) {
        List<String> phases = List.of("PREPARE", "ACTIVATE", "RETIRE", "COMPLETE");
        int at = phases.indexOf(phase);
        String next = at < 0 || at + 1 >= phases.size() ? "Complete" : phases.get(at + 1);
        return next.charAt(0) + next.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
