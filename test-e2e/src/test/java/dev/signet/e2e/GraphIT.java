package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signet graph} on the samples, through {@code bin/signet}: every edge is what {@code signet explain} answers
 * for the same call, every pair without an edge is refused by explain, and the DOT renders with the real Graphviz.
 */
class GraphIT {

    private static final Path SAMPLES = SignetProcess.home().resolve("config/samples");

    private final java.util.Map<String, String> accounts = new java.util.HashMap<>();

    @TempDir
    Path dir;

    @Test
    void the_edges_are_explains_answers() throws Exception {
        SignetProcess.Result graph = SignetProcess.run(dir, "graph", SAMPLES.toString(), "-o", "json");
        assertThat(graph.exitCode()).as(graph.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(graph.out());
        List<String> workloads = new ArrayList<>();
        root.get("workloads").forEach(w -> {
            workloads.add(w.get("workload").asText());
            accounts.put(w.get("workload").asText(), w.get("serviceAccount").asText());
        });
        assertThat(workloads).containsExactly("shop/checkout", "shop/other", "shop/payments");
        Set<String> edges = new HashSet<>();
        int checked = 0;
        for (JsonNode edge : root.get("edges")) {
            String from = edge.get("from").asText();
            String to = edge.get("to").asText();
            int port = edge.get("port").asInt();
            edges.add(from + ">" + to + ":" + port);
            for (JsonNode call : edge.get("allowed")) {
                assertThat(explain(from, to, port, call))
                        .as("%s -> %s:%d %s", from, to, port, call)
                        .startsWith("ALLOW");
                checked++;
            }
            for (JsonNode call : edge.get("denied")) {
                assertThat(explain(from, to, port, call))
                        .as("%s -> %s:%d %s", from, to, port, call)
                        .startsWith("DENY");
                checked++;
            }
        }
        assertThat(edges)
                .as("checkout may charge payments; the others may call checkout and other, but never payments")
                .contains("shop/checkout>shop/payments:8080", "shop/payments>shop/checkout:8081")
                .doesNotContain("shop/other>shop/payments:8080");
        assertThat(root.toString()).contains("\"label\":\":8080 POST /charge; not DELETE /\"");
        for (JsonNode to : root.get("workloads")) {
            for (JsonNode port : to.get("ports")) {
                for (String from : workloads) {
                    String key = from + ">" + to.get("workload").asText() + ":"
                            + port.get("port").asInt();
                    if (!from.equals(to.get("workload").asText()) && !edges.contains(key)) {
                        JsonNode plain = new ObjectMapper().readTree("{\"method\": \"GET\", \"path\": \"/\"}");
                        assertThat(explain(
                                        from,
                                        to.get("workload").asText(),
                                        port.get("port").asInt(),
                                        plain))
                                .as("no edge %s", key)
                                .startsWith("DENY");
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    @Test
    void the_picture_renders_with_graphviz_and_the_page_stands_alone() throws Exception {
        SignetProcess.Result dot = SignetProcess.run(dir, "graph", SAMPLES.toString(), "-o", "dot");
        assertThat(dot.exitCode()).as(dot.err()).isZero();
        assertThat(dot.out())
                .startsWith("digraph mesh {")
                .contains("\"shop/checkout\" -> \"shop/payments\" [label=\":8080 POST /charge; not DELETE /\"]");
        Process graphviz = new ProcessBuilder("dot", "-Tsvg").start();
        try (var in = graphviz.getOutputStream()) {
            in.write(dot.out().getBytes(StandardCharsets.UTF_8));
        }
        String svg = new String(graphviz.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(graphviz.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(graphviz.exitValue()).isZero();
        assertThat(svg).contains("<svg", "POST /charge", "namespace shop");

        SignetProcess.Result html = SignetProcess.run(dir, "graph", SAMPLES.toString(), "-o", "html");
        assertThat(html.exitCode()).as(html.err()).isZero();
        assertThat(html.out())
                .contains("<svg", "<table", "POST /charge", "class=\"allow\"")
                .as("nothing to fetch")
                .doesNotContain("<script", "src=", "<link", "@import");
        Files.writeString(dir.resolve("mesh.html"), html.out());

        SignetProcess.Result mermaid = SignetProcess.run(dir, "graph", SAMPLES.toString(), "-o", "mermaid");
        assertThat(mermaid.out()).startsWith("flowchart LR").contains("-->|\":8080 POST /charge; not DELETE /\"|");

        SignetProcess.Result text = SignetProcess.run(dir, "graph", SAMPLES.toString());
        assertThat(text.out())
                .contains("shop/checkout -> shop/payments :8080 POST /charge; not DELETE /")
                .contains("3 workload(s)");
        String pictured = Files.readString(SignetProcess.home().resolve("docs/samples-mesh.svg"));
        for (String edge :
                text.out().lines().filter(line -> line.contains(" -> ")).toList()) {
            assertThat(pictured)
                    .as("the README's picture is stale (signet graph config/samples -o svg > docs/samples-mesh.svg)")
                    .contains(edge.substring(edge.indexOf(" :") + 1));
        }
    }

    private String explain(String from, String to, int port, JsonNode call) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "explain",
                SAMPLES.toString(),
                "--workload",
                to,
                "--port",
                String.valueOf(port),
                "--from",
                "spiffe://cluster.local/ns/" + from.split("/")[0] + "/sa/" + accounts.get(from)));
        if (!call.path("method").isNull() && call.has("method")) {
            args.addAll(List.of(
                    "--method",
                    call.get("method").asText(),
                    "--path",
                    call.get("path").asText()));
        }
        SignetProcess.Result explained = SignetProcess.run(dir, args.toArray(String[]::new));
        assertThat(explained.exitCode())
                .as("explain's exit code says its answer")
                .isEqualTo(explained.out().startsWith("ALLOW") ? 0 : 1);
        return explained.out();
    }
}
