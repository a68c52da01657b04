package dev.signet.cli.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.policy.graph.CallGraph;
import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadPort;
import dev.signet.policy.select.MeshPolicies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The call graph written out: each format from the same workloads and edges. */
final class GraphFormats {

    private final MeshPolicies mesh;
    private final List<Workload> workloads;
    private final List<CallGraph.Edge> edges;
    private final Map<String, CallGraph.Edge> byCall = new java.util.HashMap<>();

    /** Decides the graph's edges once; every format is written from them. */
    GraphFormats(MeshPolicies mesh, CallGraph graph) {
        this.mesh = mesh;
        this.workloads = graph.workloads();
        this.edges = graph.edges();
        edges.forEach(edge -> byCall.put(call(edge.from(), edge.to(), edge.port()), edge));
    }

    private static String call(Workload from, Workload to, WorkloadPort port) {
        return from.key() + ">" + to.key() + ":" + port.port();
    }

    /** One line per edge, then the counts. */
    String text() {
        StringBuilder out = new StringBuilder();
        for (CallGraph.Edge edge : edges) {
            out.append(edge.from().key())
                    .append(" -> ")
                    .append(edge.to().key())
                    .append(' ')
                    .append(edge.label())
                    .append(edge.deniedByPolicy() ? "  (refused by policy)" : "")
                    .append('\n');
        }
        return out.append(workloads.size())
                .append(" workload(s), ")
                .append(edges.size())
                .append(" edge(s)\n")
                .toString();
    }

    /** Graphviz: namespaces as clusters, allowed calls solid, calls a DENY policy refuses dashed and red. */
    String dot() {
        StringBuilder out = new StringBuilder("digraph mesh {\n");
        out.append("  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
                .append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
        Map<String, List<Workload>> byNamespace = byNamespace();
        int cluster = 0;
        for (Map.Entry<String, List<Workload>> namespace : byNamespace.entrySet()) {
            out.append("  subgraph cluster_")
                    .append(cluster++)
                    .append(" {\n")
                    .append("    label=")
                    .append(quote("namespace " + namespace.getKey()))
                    .append(";\n")
                    .append("    style=dashed;\n");
            for (Workload workload : namespace.getValue()) {
                out.append("    ")
                        .append(quote(workload.key()))
                        .append(" [label=")
                        .append(quote(workload.metadata().name() + "\n" + modes(workload, "\n")))
                        .append("];\n");
            }
            out.append("  }\n");
        }
        for (CallGraph.Edge edge : edges) {
            out.append("  ")
                    .append(quote(edge.from().key()))
                    .append(" -> ")
                    .append(quote(edge.to().key()))
                    .append(" [label=")
                    .append(quote(edge.label()));
            if (edge.deniedByPolicy()) {
                out.append(", style=dashed, color=red, fontcolor=red");
            }
            out.append("];\n");
        }
        return out.append("}\n").toString();
    }

    /** Mermaid's flowchart, which GitHub and many wikis draw from a code block. */
    String mermaid() {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        Map<String, String> ids = new LinkedHashMap<>();
        for (Workload workload : workloads) {
            ids.put(workload.key(), "w" + ids.size());
        }
        for (Map.Entry<String, List<Workload>> namespace : byNamespace().entrySet()) {
            out.append("  subgraph ")
                    .append(mermaidText("namespace " + namespace.getKey()))
                    .append('\n');
            for (Workload workload : namespace.getValue()) {
                out.append("    ")
                        .append(ids.get(workload.key()))
                        .append('[')
                        .append(mermaidText(workload.metadata().name() + "<br/>" + modes(workload, "<br/>")))
                        .append("]\n");
            }
            out.append("  end\n");
        }
        for (CallGraph.Edge edge : edges) {
            out.append("  ")
                    .append(ids.get(edge.from().key()))
                    .append(edge.deniedByPolicy() ? " -.->|" : " -->|")
                    .append(mermaidText(edge.label()))
                    .append("| ")
                    .append(ids.get(edge.to().key()))
                    .append('\n');
        }
        return out.toString();
    }

    ObjectNode json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode nodes = root.putArray("workloads");
        for (Workload workload : workloads) {
            ObjectNode node = nodes.addObject();
            node.put("workload", workload.key());
            node.put("serviceAccount", workload.spec().serviceAccount());
            ArrayNode ports = node.putArray("ports");
            for (WorkloadPort port : workload.spec().ports()) {
                ports.addObject()
                        .put("port", port.port())
                        .put("protocol", port.protocolOrDefault().name())
                        .put("mtls", mesh.mtls(workload, port.port()).mode().name());
            }
        }
        ArrayNode calls = root.putArray("edges");
        for (CallGraph.Edge edge : edges) {
            ObjectNode node = calls.addObject();
            node.put("from", edge.from().key());
            node.put("to", edge.to().key());
            node.put("port", edge.port().port());
            node.put("open", edge.open());
            node.put("label", edge.label());
            calls(node.putArray("allowed"), edge.allowed());
            calls(node.putArray("denied"), edge.denied());
        }
        return root;
    }

    private static void calls(ArrayNode into, List<CallGraph.Call> calls) {
        for (CallGraph.Call call : calls) {
            ObjectNode node = into.addObject();
            node.put("method", call.method());
            node.put("path", call.path());
            node.put("decidedBy", call.decidedBy());
        }
    }

    /**
     * One page with nothing to fetch: the picture (when Graphviz drew one) and the who-may-call-whom matrix, a row
     * per caller and a column per workload port.
     */
    String html(Optional<String> svg) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Signet: who may call whom</title>\n<style>\n")
                .append("body{font-family:Helvetica,Arial,sans-serif;margin:2em}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em;")
                .append("font-size:.9em;vertical-align:top}th{background:#f3f3f3}")
                .append("td.allow{background:#e7f6e7}td.deny{background:#fbe9e9;color:#a00}")
                .append("td.self{background:#eee}\n</style>\n</head>\n<body>\n")
                .append("<h1>Who may call whom</h1>\n");
        svg.ifPresentOrElse(
                picture -> out.append("<div>")
                        .append(picture.substring(Math.max(0, picture.indexOf("<svg"))))
                        .append("</div>\n"),
                () -> out.append("<p>(Install Graphviz's <code>dot</code> for the picture.)</p>\n"));
        out.append("<h2>Matrix</h2>\n<p>Rows call, columns are called. Green: allowed (what); red: refused by a DENY "
                + "policy; empty: no ALLOW policy lets it.</p>\n<table>\n<tr><th>caller \\ called</th>");
        for (Workload to : workloads) {
            for (WorkloadPort port : to.spec().ports()) {
                out.append("<th>")
                        .append(escape(to.key() + ":" + port.port()))
                        .append("<br>")
                        .append(escape(mesh.mtls(to, port.port()).mode().name()))
                        .append("</th>");
            }
        }
        out.append("</tr>\n");
        for (Workload from : workloads) {
            out.append("<tr><th>").append(escape(from.key())).append("</th>");
            for (Workload to : workloads) {
                for (WorkloadPort port : to.spec().ports()) {
                    out.append(cell(from, to, port));
                }
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n</body>\n</html>\n").toString();
    }

    private String cell(Workload from, Workload to, WorkloadPort port) {
        if (from.key().equals(to.key())) {
            return "<td class=\"self\"></td>";
        }
        Optional<CallGraph.Edge> edge = Optional.ofNullable(byCall.get(call(from, to, port)));
        if (edge.isEmpty()) {
            return "<td></td>";
        }
        String label = edge.get().label().substring(edge.get().label().indexOf(' ') + 1);
        return "<td class=\"" + (edge.get().deniedByPolicy() ? "deny" : "allow") + "\">" + escape(label) + "</td>";
    }

    private Map<String, List<Workload>> byNamespace() {
        return workloads.stream()
                .collect(Collectors.groupingBy(
                        w -> w.metadata().namespaceOrDefault(), java.util.TreeMap::new, Collectors.toList()));
    }

    private String modes(Workload workload, String separator) {
        return workload.spec().ports().stream()
                .map(port -> ":" + port.port() + " "
                        + mesh.mtls(workload, port.port()).mode())
                .collect(Collectors.joining(separator));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String mermaidText(String text) {
        return "\"" + text.replace("\"", "#quot;") + "\"";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
