package dev.signet.cli.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.ca.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the replicas said of their proxies ({@code /debug/proxies}), judged per proxy and resource type as
 * {@code istioctl proxy-status} does: SYNCED (the version sent was ACKed), NACKED (it was refused; the error is
 * shown), STALE (sent, no answer yet), NOT SENT.
 */
final class ProxyStatusReport {

    static final String SYNCED = "SYNCED";
    static final String NACKED = "NACKED";
    static final String STALE = "STALE";
    static final String NOT_SENT = "NOT SENT";

    /** The xDS types in the order a proxy takes them; others follow in name order. */
    private static final List<String> TYPE_ORDER = List.of("LDS", "RDS", "CDS", "EDS");

    private static final int ERROR_LENGTH = 200;

    /** One proxy's state of one type. */
    record TypeState(String state, String sent, String acked, String nacked, String error) {}

    /** One connected proxy, on the replica it is connected to. */
    record Row(
            String replica,
            String proxy,
            String workload,
            String identity,
            Instant connectedAt,
            Map<String, TypeState> types) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> replicas = new ArrayList<>();
    private final List<String> unreachable = new ArrayList<>();

    /** Adds what {@code replica} answered at {@code /debug/proxies}. */
    void add(String replica, JsonNode proxies) {
        replicas.add(replica);
        for (JsonNode proxy : proxies) {
            Map<String, TypeState> types = new LinkedHashMap<>();
            proxy.path("types").fields().forEachRemaining(e -> types.put(e.getKey(), judge(e.getValue())));
            rows.add(new Row(
                    replica,
                    proxy.path("node").asText(),
                    proxy.path("workload").asText(""),
                    proxy.path("identity").asText(""),
                    Instant.parse(proxy.path("connectedAt").asText()),
                    types));
        }
        rows.sort(Comparator.comparing(Row::proxy).thenComparing(Row::replica));
    }

    /** A replica that could not be asked, with why. */
    void unreachable(String replicaAndReason) {
        unreachable.add(replicaAndReason);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    List<String> unreachable() {
        return List.copyOf(unreachable);
    }

    static TypeState judge(JsonNode type) {
        String sent = text(type, "sent");
        String acked = text(type, "acked");
        String nacked = text(type, "nacked");
        String state;
        if (sent == null) {
            state = NOT_SENT;
        } else if (sent.equals(acked)) {
            state = SYNCED;
        } else if (sent.equals(nacked)) {
            state = NACKED;
        } else {
            state = STALE;
        }
        return new TypeState(state, sent, acked, nacked, text(type, "nackError"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The types any proxy has, LDS, RDS, CDS, EDS first. */
    List<String> types() {
        TreeSet<String> seen = new TreeSet<>();
        rows.forEach(row -> seen.addAll(row.types().keySet()));
        List<String> ordered = new ArrayList<>();
        TYPE_ORDER.stream().filter(seen::contains).forEach(ordered::add);
        seen.stream().filter(type -> !TYPE_ORDER.contains(type)).forEach(ordered::add);
        return ordered;
    }

    /** The table for people: one line per proxy, then each NACK's error, then a summary. */
    String text(Instant now) {
        List<String> types = types();
        List<List<String>> table = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("PROXY", "WORKLOAD", "REPLICA"));
        header.addAll(types);
        header.add("AGE");
        table.add(header);
        for (Row row : rows) {
            List<String> line = new ArrayList<>(List.of(row.proxy(), row.workload(), row.replica()));
            types.forEach(type -> line.add(
                    row.types().containsKey(type) ? row.types().get(type).state() : NOT_SENT));
            line.add(age(row.connectedAt(), now));
            table.add(line);
        }
        StringBuilder out = new StringBuilder();
        if (!rows.isEmpty()) {
            out.append(columns(table));
        }
        for (Row row : rows) {
            row.types().forEach((type, state) -> {
                if (state.state().equals(NACKED)) {
                    out.append(String.format(
                            "%s %s NACKED version %s: %s%n",
                            row.proxy(), type, state.nacked(), shorten(state.error())));
                }
            });
        }
        out.append(summary());
        return out.toString();
    }

    private String summary() {
        long synced = rows.stream().filter(row -> allIn(row, SYNCED)).count();
        long nacked = rows.stream()
                .filter(row ->
                        row.types().values().stream().anyMatch(t -> t.state().equals(NACKED)))
                .count();
        String counts = rows.isEmpty()
                ? "no proxy connected"
                : rows.size() + (rows.size() == 1 ? " proxy" : " proxies") + ": " + synced + " synced, " + nacked
                        + " with a NACK, " + (rows.size() - synced - nacked) + " waiting";
        return counts + " (" + replicas.size() + (replicas.size() == 1 ? " replica" : " replicas") + " asked"
                + (unreachable.isEmpty() ? "" : ", " + unreachable.size() + " unreachable") + ")"
                + System.lineSeparator();
    }

    private static boolean allIn(Row row, String state) {
        return !row.types().isEmpty()
                && row.types().values().stream().allMatch(t -> t.state().equals(state));
    }

    /** The same, as data: {@code replicas}, {@code unreachable} and {@code proxies} with each type's state. */
    JsonNode tree(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        ArrayNode asked = root.putArray("replicas");
        replicas.forEach(asked::add);
        ArrayNode missing = root.putArray("unreachable");
        unreachable.forEach(missing::add);
        ArrayNode proxies = root.putArray("proxies");
        for (Row row : rows) {
            ObjectNode proxy = proxies.addObject()
                    .put("proxy", row.proxy())
                    .put("workload", row.workload())
                    .put("identity", row.identity())
                    .put("replica", row.replica())
                    .put("connectedAt", row.connectedAt().toString());
            ObjectNode types = proxy.putObject("types");
            row.types().forEach((type, state) -> {
                ObjectNode t = types.putObject(type).put("state", state.state());
                t.put("sent", state.sent()).put("acked", state.acked());
                if (state.nacked() != null) {
                    t.put("nacked", state.nacked()).put("error", state.error());
                }
            });
        }
        return root;
    }

    private static String age(Instant connectedAt, Instant now) {
        Duration age = Duration.between(connectedAt, now).truncatedTo(ChronoUnit.SECONDS);
        if (age.compareTo(Duration.ofHours(1)) >= 0) {
            age = age.truncatedTo(ChronoUnit.MINUTES);
        }
        return HumanDuration.format(age.isNegative() ? Duration.ZERO : age);
    }

    private static String shorten(String error) {
        if (error == null) {
            return "(no error text)";
        }
        String line = error.replaceAll("\\s+", " ").strip();
        return line.length() <= ERROR_LENGTH ? line : line.substring(0, ERROR_LENGTH) + "…";
    }

    private static String columns(List<List<String>> table) {
        int[] widths = new int[table.get(0).size()];
        for (List<String> line : table) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : table) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                text.append(
                        i + 1 < line.size() ? String.format("%-" + (widths[i] + 3) + "s", line.get(i)) : line.get(i));
            }
            out.append(text.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }
}
