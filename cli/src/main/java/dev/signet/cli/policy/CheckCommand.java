package dev.signet.cli.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.cli.Structured;
import dev.signet.policy.check.CheckReport;
import dev.signet.policy.check.PolicyCheck;
import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.validate.PolicyValidator;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code signet check DIR}: validate and compile offline; {@code signet check --cluster}: the same of what is applied,
 * and what only the whole shows. Exit 1 on any error, for CI.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Validate and compile every policy and workload in PATH (a folder, a file, or - for standard input), offline; or, with --cluster, what is applied to "
                    + "the cluster (policies, and Pods as workloads), also warning of policies whose selector matches "
                    + "no Pod, namespaces no PeerAuthentication covers, principals and service accounts naming "
                    + "accounts that do not exist, and PeerAuthentications that contradict each other.",
            "Exit 0 when clean (warnings allowed), 1 on any error, 2 on wrong usage, 3 when the cluster cannot be read."
        })
public final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text (the default), json or yaml.")
    String output;

    @Override
    public Integer call() throws Exception {
        source.validate(spec.commandLine());
        if (!Structured.isStructured(output) && !output.equals("text")) {
            throw Structured.unknown(output, "text, json or yaml");
        }
        String where = source.cluster ? null : source.directory.toString();
        CheckReport report;
        if (source.cluster) {
            try (ClusterReader reader = source.connect()) {
                where = "the cluster at " + reader.server();
                report = new PolicyCheck(source.rootNamespace)
                        .checkApplied(reader.load(new PolicyValidator(source.rootNamespace)), reader.serviceAccounts());
            }
        } else {
            report = new PolicyCheck(source.rootNamespace).check(source.loadPath());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (Structured.isStructured(output)) {
            out.println(Structured.render(output, json(report)));
        } else if (output.equals("text")) {
            report.diagnostics().forEach(d -> out.println(d.format()));
            if (report.resources() == 0 && report.errors() == 0) {
                out.println("note: no AuthorizationPolicy, PeerAuthentication or Workload found in " + where
                        + (source.cluster ? "" : " (*.yaml, *.yml); is it the right folder?"));
            }
            out.printf(
                    "%s: %d resource(s), %d workload(s) compiled, %d other document(s) skipped; %d error(s), %d warning(s)%n",
                    report.ok() ? "OK" : "FAILED",
                    report.resources(),
                    report.workloads(),
                    report.skippedDocuments(),
                    report.errors(),
                    report.warnings());
        }
        out.flush();
        return report.ok() ? 0 : 1;
    }

    private static ObjectNode json(CheckReport report) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("ok", report.ok());
        root.put("errors", report.errors());
        root.put("warnings", report.warnings());
        root.put("resources", report.resources());
        root.put("workloads", report.workloads());
        root.put("skippedDocuments", report.skippedDocuments());
        ArrayNode diagnostics = root.putArray("diagnostics");
        for (Diagnostic d : report.diagnostics()) {
            ObjectNode node = diagnostics.addObject();
            node.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
            node.put("file", d.location().file());
            node.put("document", d.location().document());
            node.put("line", d.location().line());
            node.put("resource", d.resource());
            node.put("field", d.field());
            node.put("message", d.message());
        }
        return root;
    }
}
