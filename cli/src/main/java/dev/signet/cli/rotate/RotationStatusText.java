package dev.signet.cli.rotate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;

/** The rotation status for people: the phase and gate first, then who holds it, the phase times and forced gates. */
final class RotationStatusText {

    private RotationStatusText() {}

    static void print(JsonNode status, PrintWriter out) {
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
            out.printf(
                    "no rotation has been started; trust bundle v%d%n",
                    status.path("bundleVersion").asLong());
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
            out.printf(
                    "  gate: %s (%s)%n",
                    status.path("gate").asText(), status.path("gateOpen").asBoolean() ? "open" : "waiting");
            if (status.path("mode").asText().equals("MANUAL")
                    && status.path("target").asText().equals(phase)) {
                out.println(
                        status.path("drivenBy").asText().equals("RootRotation")
                                ? "  manual: raise the RootRotation's spec.targetPhase (kubectl patch rootrotation NAME"
                                        + " --type=merge -p '{\"spec\":{\"targetPhase\":\"" + next(phase)
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
