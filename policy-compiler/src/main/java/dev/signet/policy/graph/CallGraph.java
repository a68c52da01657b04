package dev.signet.policy.graph;

import dev.signet.policy.eval.Decision;
import dev.signet.policy.eval.Evaluator;
import dev.signet.policy.eval.Request;
import dev.signet.policy.model.Action;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.Operation;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.RuleTo;
import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadPort;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.select.Ordered;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The calls each workload may make to each port of every other, as {@code explain} decides them. A port is probed
 * with a plain request (GET / on HTTP) and with the methods and paths the policies applying to it name, each from
 * the caller's mTLS identity; what is allowed labels the edge, what a DENY policy refuses is listed beside it.
 */
public final class CallGraph {

    /** Samples per rule at most: a policy listing many methods and paths is summarised, not enumerated. */
    private static final int SAMPLES_PER_RULE = 6;

    private final MeshPolicies mesh;
    private final String trustDomain;

    public CallGraph(MeshPolicies mesh, String trustDomain) {
        this.mesh = mesh;
        this.trustDomain = trustDomain;
    }

    /** One probe of a port and how it was decided; {@code method} and {@code path} are null on TCP. */
    public record Call(String method, String path, String decidedBy) {
        public String label() {
            return method == null ? "tcp" : method + " " + path;
        }
    }

    /**
     * What {@code from} may do on {@code to}'s port. {@code open}: no ALLOW policy applies there, so anything not
     * denied is allowed. {@code denied}: probes a DENY policy refused.
     */
    public record Edge(
            Workload from, Workload to, WorkloadPort port, boolean open, List<Call> allowed, List<Call> denied) {
        /** Drawn solid: some call is allowed. */
        public boolean allows() {
            return !allowed.isEmpty();
        }

        /** Drawn dashed: nothing allowed, and a DENY policy refuses even the plain call. */
        public boolean deniedByPolicy() {
            return allowed.isEmpty() && !denied.isEmpty();
        }

        public String label() {
            String allows = open
                    ? "any"
                    : String.join(", ", allowed.stream().map(Call::label).toList());
            String refused = denied.isEmpty()
                    ? ""
                    : (allows.isEmpty() ? "denied: " : "; not ")
                            + String.join(", ", denied.stream().map(Call::label).toList());
            return ":" + port.port() + " " + allows + refused;
        }
    }

    /** The workloads, ordered by namespace and name. */
    public List<Workload> workloads() {
        return mesh.workloads().stream()
                .sorted(Comparator.comparing(Workload::key))
                .toList();
    }

    /** Every edge between two distinct workloads that is allowed or denied by a DENY policy. */
    public List<Edge> edges() {
        List<Edge> edges = new ArrayList<>();
        Evaluator evaluator = new Evaluator(mesh);
        List<Workload> workloads = workloads();
        for (Workload to : workloads) {
            List<AuthorizationPolicy> policies = mesh.authorizationPoliciesFor(to).stream()
                    .map(Ordered::resource)
                    .filter(policy -> !policy.isDryRun())
                    .toList();
            boolean anyAllow =
                    policies.stream().anyMatch(policy -> policy.specOrEmpty().actionOrDefault() == Action.ALLOW);
            for (WorkloadPort port : to.spec().ports()) {
                Set<Call> probes = probes(port, policies);
                for (Workload from : workloads) {
                    if (from.key().equals(to.key())) {
                        continue;
                    }
                    List<Call> allowed = new ArrayList<>();
                    List<Call> denied = new ArrayList<>();
                    for (Call probe : probes) {
                        Request.Builder request = Request.builder(port.port())
                                .from(principal(from))
                                .method(probe.method())
                                .path(probe.path());
                        Decision decision = evaluator.evaluate(to, request.build());
                        String by = decision.decidedBy().map(m -> m.policy()).orElse(null);
                        Call decided = new Call(probe.method(), probe.path(), by);
                        if (decision.allowed()) {
                            allowed.add(decided);
                        } else if (decision.decidedBy()
                                .map(m -> m.action() == Action.DENY)
                                .orElse(false)) {
                            denied.add(decided);
                        }
                    }
                    Call plain = probes.iterator().next();
                    boolean open = !anyAllow && allowed.stream().anyMatch(call -> sameProbe(call, plain));
                    boolean refused = denied.stream().anyMatch(call -> sameProbe(call, plain));
                    // Nothing allowed is no edge, unless a DENY policy refuses even the plain call outright.
                    if (!allowed.isEmpty() || refused) {
                        edges.add(new Edge(from, to, port, open, List.copyOf(allowed), List.copyOf(denied)));
                    }
                }
            }
        }
        return edges;
    }

    /** The caller's identity as its proxy presents it. */
    public String principal(Workload workload) {
        String account = workload.spec().serviceAccount() == null
                ? "default"
                : workload.spec().serviceAccount();
        return trustDomain + "/ns/" + workload.metadata().namespaceOrDefault() + "/sa/" + account;
    }

    private static boolean sameProbe(Call a, Call b) {
        return java.util.Objects.equals(a.method(), b.method()) && java.util.Objects.equals(a.path(), b.path());
    }

    /** The plain probe first, then what the policies name (HTTP ports only). */
    private static Set<Call> probes(WorkloadPort port, List<AuthorizationPolicy> policies) {
        Set<Call> probes = new LinkedHashSet<>();
        if (!port.protocolOrDefault().isHttp()) {
            probes.add(new Call(null, null, null));
            return probes;
        }
        probes.add(new Call("GET", "/", null));
        for (AuthorizationPolicy policy : policies) {
            for (Rule rule : policy.specOrEmpty().rules()) {
                for (RuleTo to : rule.to()) {
                    Operation operation = to.operation();
                    if (operation == null || !portMatches(operation, port)) {
                        continue;
                    }
                    List<String> methods = literals(operation.methods(), "GET");
                    List<String> paths = operation.paths().isEmpty()
                            ? List.of("/")
                            : operation.paths().stream()
                                    .map(CallGraph::concrete)
                                    .toList();
                    int added = 0;
                    for (String method : methods) {
                        for (String path : paths) {
                            if (added++ < SAMPLES_PER_RULE) {
                                probes.add(new Call(method, path, null));
                            }
                        }
                    }
                }
            }
        }
        return probes;
    }

    private static boolean portMatches(Operation operation, WorkloadPort port) {
        return operation.ports().isEmpty() || operation.ports().contains(String.valueOf(port.port()));
    }

    private static List<String> literals(List<String> values, String otherwise) {
        List<String> literal = values.stream().filter(v -> !v.contains("*")).toList();
        return literal.isEmpty() ? List.of(otherwise) : literal;
    }

    /** A path a pattern matches: wildcards and template segments filled with {@code x}. */
    static String concrete(String pattern) {
        if (pattern.equals("*")) {
            return "/";
        }
        String path = pattern.replace("{**}", "x").replace("{*}", "x");
        if (path.startsWith("*")) {
            path = "/x" + path.substring(1);
        }
        if (path.endsWith("*")) {
            path = path.substring(0, path.length() - 1) + "x";
        }
        return path;
    }
}
