package dev.signet.cli.graph;

import dev.signet.cli.Structured;
import dev.signet.cli.Unavailable;
import dev.signet.cli.policy.ClusterReader;
import dev.signet.cli.policy.SourceOptions;
import dev.signet.policy.graph.CallGraph;
import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet graph DIR|--cluster}: who may call whom, as a picture or a table. */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = {
            "Draw who may call whom: workloads as nodes (with each port's mTLS mode), allowed calls as edges labelled "
                    + "with what is allowed, calls a DENY policy refuses as dashed red edges. Each call is decided "
                    + "as 'signet explain' decides it, from the caller's mTLS identity.",
            "Exit 0, 1 when the policies are invalid, 2 on wrong usage, 3 when the cluster or Graphviz is missing."
        },
        footer = {
            "%nExamples:",
            "  signet graph config/samples                       # one line per edge",
            "  signet graph config/samples -o svg > mesh.svg     # needs Graphviz's dot",
            "  signet graph --cluster -o html > mesh.html        # picture and matrix, one page",
            "  signet graph config/samples -o mermaid            # for a Markdown code block"
        })
public final class GraphCommand implements Callable<Integer> {

    private static final List<String> FORMATS = List.of("text", "dot", "mermaid", "svg", "html", "json", "yaml");

    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Option(
            names = "--trust-domain",
            defaultValue = "cluster.local",
            paramLabel = "TD",
            description = "The trust domain of the callers' identities (default: ${DEFAULT-VALUE}).")
    String trustDomain;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text (the default), dot, mermaid, svg, html, json or yaml.")
    String output;

    @Override
    public Integer call() throws Exception {
        source.validate(spec.commandLine());
        if (!FORMATS.contains(output)) {
            throw new IllegalArgumentException(
                    "unknown output format '" + output + "'; use " + String.join(", ", FORMATS));
        }
        LoadResult load;
        if (source.cluster) {
            try (ClusterReader reader = source.connect()) {
                load = reader.load(new PolicyValidator(source.rootNamespace));
            }
        } else {
            load = source.loadPath().load();
        }
        PrintWriter err = spec.commandLine().getErr();
        if (load.hasErrors()) {
            load.diagnostics().stream().filter(Diagnostic::isError).forEach(d -> err.println(d.format()));
            err.println("signet: " + load.errorCount() + " invalid resource(s); fix them (see 'signet check')");
            err.flush();
            return 1;
        }
        MeshPolicies mesh = MeshPolicies.of(source.rootNamespace, load.failingClosed());
        GraphFormats formats = new GraphFormats(mesh, new CallGraph(mesh, trustDomain));
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case "dot" -> out.print(formats.dot());
            case "mermaid" -> out.print(formats.mermaid());
            case "json", "yaml" -> out.println(Structured.render(output, formats.json()));
            case "svg" ->
                out.print(svg(formats.dot())
                        .orElseThrow(() -> new Unavailable(
                                "-o svg needs Graphviz's dot on the PATH (apt-get install graphviz); "
                                        + "-o dot writes its input",
                                null)));
            case "html" -> out.print(formats.html(svg(formats.dot())));
            default -> out.print(formats.text());
        }
        out.flush();
        return 0;
    }

    /** The picture Graphviz draws of {@code dot}; empty when Graphviz is not installed. */
    static Optional<String> svg(String dot) throws IOException, InterruptedException {
        Process graphviz;
        try {
            graphviz = new ProcessBuilder("dot", "-Tsvg").start();
        } catch (IOException notInstalled) {
            return Optional.empty();
        }
        try (var in = graphviz.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        }
        String svg = new String(graphviz.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String problems = new String(graphviz.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!graphviz.waitFor(60, TimeUnit.SECONDS) || graphviz.exitValue() != 0) {
            throw new IllegalStateException("Graphviz's dot failed on the graph: " + problems);
        }
        return Optional.of(svg);
    }
}
