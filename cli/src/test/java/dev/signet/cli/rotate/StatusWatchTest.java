package dev.signet.cli.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rotate status --watch}: in place with a countdown on a terminal, a line per change when piped. */
class StatusWatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private static JsonNode status(String phase, boolean open, String advancesAt) throws Exception {
        return JSON.readTree(
                """
                {"id": "spring", "phase": "%s", "mode": "AUTOMATIC", "target": "COMPLETE", "bundleVersion": 3,
                 "gate": "every workload confirmed", "gateOpen": %s, %s "confirmed": 2, "total": 2,
                 "oldRootLeavesInUse": 0, "fromRoot": "aa", "toRoot": "bb"}
                """.formatted(phase, open, advancesAt == null ? "" : "\"advancesAt\": \"" + advancesAt + "\","));
    }

    /** Runs a watch over {@code statuses}, one per read, a second apart on a fixed clock. */
    private static String watch(List<JsonNode> statuses, boolean terminal, String format, int[] exit) throws Exception {
        Deque<JsonNode> queue = new ArrayDeque<>(statuses);
        MutableClock clock = new MutableClock(T0);
        StringWriter out = new StringWriter();
        exit[0] = new StatusWatch(
                        () -> queue.size() > 1 ? queue.poll() : queue.peek(),
                        clock,
                        clock::advance,
                        new PrintWriter(out, true),
                        terminal,
                        format)
                .run(Duration.ofSeconds(1));
        return out.toString();
    }

    @Test
    void on_a_terminal_the_status_is_redrawn_in_place_counting_down_to_the_next_phase() throws Exception {
        JsonNode settling = status("PREPARE", true, "2026-12-04T10:00:02Z");
        int[] exit = new int[1];
        String out = watch(List.of(settling, settling, settling, status("COMPLETE", true, null)), true, "text", exit);
        assertThat(exit[0]).isZero();
        assertThat(out)
                .contains("gate: every workload confirmed (open; ACTIVATE in 2s)")
                .contains("gate: every workload confirmed (open; ACTIVATE in 1s)")
                .contains("gate: every workload confirmed (open; ACTIVATE now)");
        int block = (int) out.substring(0, out.indexOf("\u001b[")).lines().count();
        assertThat(out).as("each redraw erases the block before it").contains("\u001b[" + block + "F\u001b[J");
        assertThat(out.substring(out.lastIndexOf("\u001b[J") + 3))
                .as("the last redraw: the complete rotation")
                .startsWith("rotation spring: COMPLETE (automatic), trust bundle v3\n")
                .doesNotContain("gate:");
    }

    @Test
    void piped_a_line_is_written_only_when_the_rotation_changes() throws Exception {
        JsonNode waiting = status("PREPARE", false, null);
        JsonNode settling = status("PREPARE", true, "2026-12-04T10:00:05Z");
        int[] exit = new int[1];
        String out = watch(
                List.of(waiting, waiting, settling, settling, settling, status("COMPLETE", true, null)),
                false,
                "text",
                exit);
        assertThat(out.lines().toList())
                .containsExactly(
                        "2026-12-04T10:00:00Z PREPARE bundle v3 gate waiting: every workload confirmed confirmed 2/2"
                                + " old-root leaves 0",
                        "2026-12-04T10:00:02Z PREPARE bundle v3 gate open; ACTIVATE at 2026-12-04T10:00:05Z: every"
                                + " workload confirmed confirmed 2/2 old-root leaves 0",
                        "2026-12-04T10:00:05Z COMPLETE bundle v3");
        assertThat(out).doesNotContain("\u001b");
    }

    @Test
    void json_is_one_document_per_change() throws Exception {
        JsonNode waiting = status("PREPARE", false, null);
        int[] exit = new int[1];
        String out = watch(List.of(waiting, waiting, status("COMPLETE", true, null)), false, "json", exit);
        assertThat(out.lines().map(line -> {
                    try {
                        return JSON.readTree(line).path("phase").asText();
                    } catch (Exception e) {
                        throw new AssertionError(line, e);
                    }
                }))
                .containsExactly("PREPARE", "COMPLETE");
    }

    @Test
    void a_refused_rotation_ends_the_watch_with_exit_1_and_its_reason() throws Exception {
        JsonNode refused = JSON.readTree("""
                {"name": "bad", "phase": "PENDING", "drivenBy": "RootRotation", "conditions": [
                 {"type": "Accepted", "status": "False", "reason": "Refused",
                  "message": "spec.newRoot.secretRef.name: the control plane may not read Secret x"}]}
                """);
        int[] exit = new int[1];
        String out = watch(List.of(refused), false, "text", exit);
        assertThat(exit[0]).isEqualTo(1);
        assertThat(out)
                .contains("RootRotation bad: not started yet; Accepted (Refused): spec.newRoot.secretRef.name: the "
                        + "control plane may not read Secret x");
    }
}
