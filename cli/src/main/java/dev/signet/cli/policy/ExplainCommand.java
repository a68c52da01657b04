package dev.signet.cli.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.cli.Structured;
import dev.signet.cli.Unavailable;
import dev.signet.policy.check.PolicyCheck;
import dev.signet.policy.eval.Decision;
import dev.signet.policy.eval.Evaluator;
import dev.signet.policy.eval.PolicyMatch;
import dev.signet.policy.eval.Request;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MtlsDecision;
import dev.signet.policy.select.Ordered;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet explain}: would this request be allowed, and which rule decides? */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Decide one request against a workload's policies and print ALLOW or DENY first, then why.",
            "Exit 0 on ALLOW, 1 on DENY (as 'kubectl auth can-i'), 2 on wrong usage, 3 when DIR has invalid resources "
                    + "(unless --ignore-errors) or the workload is unknown."
        })
public final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MeshOptions mesh;

    @Option(names = "--workload", required = true, paramLabel = "NS/NAME", description = "The workload called.")
    String workload;

    @Option(names = "--port", required = true, description = "The workload port called.")
    int port;

    @Option(
            names = "--from",
            paramLabel = "PRINCIPAL",
            description = "The caller's mTLS identity (spiffe://td/ns/x/sa/y or td/ns/x/sa/y); omit for plaintext.")
    String from;

    @Option(names = "--method", description = "The HTTP method, e.g. POST (HTTP ports; absent on TCP).")
    String method;

    @Option(names = "--path", description = "The request path, e.g. /charge (HTTP ports).")
    String path;

    @Option(names = "--host", description = "The Host or :authority header (HTTP ports).")
    String host;

    @Option(names = "--source-ip", paramLabel = "IP", description = "The caller's address as the proxy sees it.")
    String sourceIp;

    @Option(
            names = "--remote-ip",
            paramLabel = "IP",
            description = "The original client's address (X-Forwarded-For); defaults to --source-ip.")
    String remoteIp;

    @Option(names = "--destination-ip", paramLabel = "IP", description = "The address the caller dialled.")
    String destinationIp;

    @Option(names = "--sni", description = "The TLS server name the caller sent.")
    String sni;

    @Option(names = "--request-principal", paramLabel = "ISS/SUB", description = "The JWT principal, if authenticated.")
    String requestPrincipal;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "A request header; repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(
            names = {"-o", "--output"},
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text (the default), json or yaml.")
    String output;

    @Override
    public Integer call() throws Exception {
        PolicyCheck.Loaded loaded = mesh.loadOrReport(spec.commandLine().getErr());
        if (loaded == null) {
            return Unavailable.EXIT_CODE;
        }
        Workload target;
        try {
            target = Workloads.find(loaded.mesh(), workload);
        } catch (IllegalArgumentException unknown) {
            // Not a decision: 1 would read as DENY.
            spec.commandLine().getErr().println("signet: " + unknown.getMessage());
            spec.commandLine().getErr().flush();
            return Unavailable.EXIT_CODE;
        }
        Request.Builder request = Request.builder(port)
                .method(method)
                .path(path)
                .host(host)
                .sourceIp(sourceIp)
                .remoteIp(remoteIp)
                .destinationIp(destinationIp)
                .sni(sni)
                .requestPrincipal(requestPrincipal)
                .headers(headers);
        if (from != null) {
            request.from(from);
        } else {
            request.plaintext();
        }
        Decision decision = new Evaluator(loaded.mesh()).evaluate(target, request.build());
        MtlsDecision mtls = loaded.mesh().mtls(target, port);
        List<String> applying = loaded.mesh().authorizationPoliciesFor(target).stream()
                .map(Ordered::resource)
                .map(p -> p.specOrEmpty().actionOrDefault() + " " + p.key() + (p.isDryRun() ? " (dry-run)" : ""))
                .toList();
        PrintWriter out = spec.commandLine().getOut();
        if (Structured.isStructured(output)) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("decision", decision.verdict().name());
            root.put("reason", decision.reason());
            decision.decidedBy()
                    .ifPresentOrElse(
                            m -> {
                                ObjectNode by = root.putObject("decidedBy");
                                by.put("policy", m.policy());
                                by.put("action", m.action().name());
                                by.put("rule", m.rule());
                            },
                            () -> root.putNull("decidedBy"));
            root.put("mtlsMode", mtls.mode().name());
            root.put("mtlsDecidedBy", mtls.decidedBy());
            applying.forEach(root.putArray("policies")::add);
            decision.audited().stream().map(PolicyMatch::toString).forEach(root.putArray("audited")::add);
            decision.dryRun().forEach(root.putArray("dryRun")::add);
            out.println(Structured.render(output, root));
        } else if (output.equals("text")) {
            out.println(decision.verdict() + ": " + decision.reason());
            out.println("  mTLS on port " + port + ": " + mtls.mode() + " (" + mtls.decidedBy() + ")");
            out.println("  policies applying to " + target.key() + ": "
                    + (applying.isEmpty() ? "none" : String.join(", ", applying)));
            decision.audited().forEach(m -> out.println("  audited: " + m));
            decision.dryRun().forEach(line -> out.println("  " + line));
        } else {
            throw Structured.unknown(output, "text, json or yaml");
        }
        out.flush();
        return decision.allowed() ? 0 : 1;
    }
}
