package dev.signet.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.eval.Decision;
import dev.signet.policy.eval.Evaluator;
import dev.signet.policy.eval.Request;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.testing.Meshes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference evaluator and the compiled RBAC (run by an independent interpreter of Envoy's semantics) agree on
 * every generated request against every generated mesh. Seeded, so a failure reproduces; the failing mesh and
 * request are printed.
 */
class EvaluatorRbacAgreementIT {

    private static final String[] PRINCIPALS = {
        "cluster.local/ns/shop/sa/checkout",
        "cluster.local/ns/shop/*",
        "*/sa/frontend",
        "*",
        "cluster.local/ns/web/sa/frontend"
    };
    private static final String[] NAMESPACES = {"shop", "web", "we*", "*", "*op"};
    private static final String[] ACCOUNTS = {"shop/checkout", "web/frontend"};
    private static final String[] BLOCKS = {"10.0.0.0/24", "10.0.0.5", "192.168.0.0/16", "::1/128"};
    private static final String[] REQUEST_PRINCIPALS = {"iss/alice", "iss/*", "*"};
    private static final String[] HOSTS = {"payments.shop", "*.shop", "Payments.Shop", "pay*"};
    private static final String[] PORTS = {"8080", "9000", "7070"};
    private static final String[] METHODS = {"GET", "POST", "*", "DEL*"};
    private static final String[] PATHS = {"/charge", "/api/*", "*.js", "/users/{*}/orders", "/files/{**}", "*"};
    private static final String[] CONDITIONS = {
        "{key: \"request.headers[x-token]\", values: [abc, \"a*\"]}",
        "{key: \"request.headers[x-token]\", notValues: [bad]}",
        "{key: source.ip, values: [\"10.0.0.0/8\"]}",
        "{key: remote.ip, notValues: [\"192.168.1.1\"]}",
        "{key: source.namespace, values: [shop]}",
        "{key: source.principal, values: [\"cluster.local/ns/web/*\"]}",
        "{key: destination.port, values: [\"8080\"]}",
        "{key: destination.ip, values: [\"10.1.0.0/16\"]}",
        "{key: connection.sni, values: [\"*.svc\"]}",
        "{key: \"request.auth.claims[group]\", values: [admins]}",
        "{key: request.auth.audiences, values: [api]}",
        "{key: request.auth.principal, values: [\"iss/*\"]}",
    };
    private static final String[] ACTIONS = {"ALLOW", "ALLOW", "DENY", "AUDIT", "CUSTOM"};
    private static final String[] MODES = {"STRICT", "PERMISSIVE", "DISABLE", "UNSET"};

    @ParameterizedTest
    @EnumSource(TlsFlavor.class)
    void evaluator_and_compiled_rbac_agree(TlsFlavor flavor) {
        Random random = new Random(20261123L + flavor.ordinal());
        WorkloadCompiler compiler =
                new WorkloadCompiler(flavor == TlsFlavor.GRPC ? CompilerOptions.GRPC : CompilerOptions.ENVOY);
        int meshes = 0;
        int requests = 0;
        int allowed = 0;
        for (int m = 0; m < 300; m++) {
            String yaml = Meshes.PAYMENTS + randomPolicies(random);
            LoadResult loaded = Meshes.load(yaml);
            assertThat(loaded.hasErrors())
                    .as("generated YAML must be valid:\n" + yaml + loaded.diagnostics())
                    .isFalse();
            MeshPolicies mesh = MeshPolicies.of(Meshes.ROOT, loaded.resources());
            Workload payments = Meshes.payments(mesh);
            CompiledWorkload compiled = compiler.compile(mesh, payments);
            Evaluator evaluator = new Evaluator(mesh);
            meshes++;
            for (int q = 0; q < 60; q++) {
                Request request = randomRequest(random);
                Decision decision = evaluator.evaluate(payments, request);
                boolean compiledAllows = ListenerSimulator.allows(compiled, request);
                boolean servedStrict = flavor == TlsFlavor.GRPC
                        && !request.tls()
                        && mesh.mtls(payments, request.port()).mode() == dev.signet.policy.model.MtlsMode.PERMISSIVE;
                // gRPC serves PERMISSIVE as STRICT: there the compiled side may only be narrower, never wider.
                assertThat(compiledAllows)
                        .as("mesh:\n%s\nrequest: %s\nevaluator: %s", yaml, request, decision.reason())
                        .isEqualTo(!servedStrict && decision.allowed());
                requests++;
                allowed += decision.allowed() ? 1 : 0;
            }
        }
        // Both verdicts must be well represented, or the comparison would prove little.
        assertThat(allowed).isBetween(requests / 10, requests * 9 / 10);
    }

    private static String randomPolicies(Random random) {
        StringBuilder yaml = new StringBuilder();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String action = pick(random, ACTIONS);
            boolean dryRun = random.nextInt(8) == 0;
            List<String> rules = new ArrayList<>();
            int ruleCount = action.equals("ALLOW") ? random.nextInt(3) : 1 + random.nextInt(2);
            for (int r = 0; r < ruleCount; r++) {
                rules.add(randomRule(random));
            }
            yaml.append("apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n")
                    .append("metadata: {name: p")
                    .append(i)
                    .append(", namespace: ")
                    .append(random.nextInt(5) == 0 ? "signet-system" : "shop")
                    .append(dryRun ? ", annotations: {istio.io/dry-run: 'true'}" : "")
                    .append("}\n")
                    .append("spec:\n  action: ")
                    .append(action)
                    .append('\n')
                    .append(action.equals("CUSTOM") ? "  provider: {name: ext}\n" : "")
                    .append(random.nextBoolean() ? "  selector: {matchLabels: {app: payments}}\n" : "")
                    .append("  rules: [")
                    .append(String.join(", ", rules))
                    .append("]\n---\n");
        }
        if (random.nextBoolean()) {
            yaml.append(
                            "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: pa, namespace: shop}\n")
                    .append("spec:\n  selector: {matchLabels: {app: payments}}\n  mtls: {mode: ")
                    .append(pick(random, MODES))
                    .append("}\n  portLevelMtls: {\"9000\": {mode: ")
                    .append(pick(random, MODES))
                    .append("}}\n---\n");
        }
        return yaml.toString();
    }

    private static String randomRule(Random random) {
        List<String> parts = new ArrayList<>();
        if (random.nextInt(3) > 0) {
            List<String> sources = new ArrayList<>();
            for (int s = 0; s < 1 + random.nextInt(2); s++) {
                List<String> fields = new ArrayList<>();
                maybe(random, fields, "principals", PRINCIPALS);
                maybe(random, fields, "notPrincipals", PRINCIPALS);
                maybe(random, fields, "namespaces", NAMESPACES);
                maybe(random, fields, "notNamespaces", NAMESPACES);
                maybe(random, fields, "ipBlocks", BLOCKS);
                maybe(random, fields, "notRemoteIpBlocks", BLOCKS);
                maybe(random, fields, "requestPrincipals", REQUEST_PRINCIPALS);
                if (fields.isEmpty() || random.nextInt(6) == 0) {
                    fields.clear();
                    fields.add((random.nextBoolean() ? "serviceAccounts" : "notServiceAccounts") + ": [\""
                            + pick(random, ACCOUNTS) + "\"]");
                }
                sources.add("{source: {" + String.join(", ", fields) + "}}");
            }
            parts.add("from: [" + String.join(", ", sources) + "]");
        }
        if (random.nextInt(3) > 0) {
            List<String> operations = new ArrayList<>();
            for (int o = 0; o < 1 + random.nextInt(2); o++) {
                List<String> fields = new ArrayList<>();
                maybe(random, fields, "hosts", HOSTS);
                maybe(random, fields, "notHosts", HOSTS);
                maybe(random, fields, "ports", PORTS);
                maybe(random, fields, "notPorts", PORTS);
                maybe(random, fields, "methods", METHODS);
                maybe(random, fields, "notMethods", METHODS);
                maybe(random, fields, "paths", PATHS);
                maybe(random, fields, "notPaths", PATHS);
                if (fields.isEmpty()) {
                    fields.add("ports: [\"" + pick(random, PORTS) + "\"]");
                }
                operations.add("{operation: {" + String.join(", ", fields) + "}}");
            }
            parts.add("to: [" + String.join(", ", operations) + "]");
        }
        if (random.nextInt(3) == 0) {
            parts.add("when: [" + pick(random, CONDITIONS)
                    + (random.nextBoolean() ? ", " + pick(random, CONDITIONS) : "") + "]");
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static void maybe(Random random, List<String> fields, String name, String[] vocabulary) {
        if (random.nextInt(5) == 0) {
            String values = "\"" + pick(random, vocabulary) + "\""
                    + (random.nextBoolean() ? ", \"" + pick(random, vocabulary) + "\"" : "");
            fields.add(name + ": [" + values + "]");
        }
    }

    private static Request randomRequest(Random random) {
        int port = Integer.parseInt(pick(random, PORTS));
        Request.Builder request = Request.builder(port);
        if (random.nextInt(4) > 0) {
            request.from(pick(random, new String[] {
                "cluster.local/ns/shop/sa/checkout",
                "cluster.local/ns/shop/sa/other",
                "cluster.local/ns/web/sa/frontend",
                "example.org/ns/shop/sa/checkout",
                "cluster.local/x"
            }));
        } else {
            request.plaintext();
        }
        request.sourceIp(pick(random, new String[] {"10.0.0.5", "10.0.0.77", "192.168.1.1", "172.16.0.1", "::1"}));
        if (random.nextBoolean()) {
            request.remoteIp(pick(random, new String[] {"192.168.1.1", "10.0.0.5"}));
        }
        request.destinationIp(pick(random, new String[] {"10.1.2.3", "10.2.0.1"}));
        request.sni(pick(random, new String[] {"payments.shop.svc", "other"}));
        if (port != 9000) {
            request.method(pick(random, new String[] {"GET", "POST", "DELETE", "PUT"}));
            request.path(pick(random, new String[] {
                "/charge",
                "/api/v1",
                "/app.js",
                "/users/7/orders",
                "/users/7/8/orders",
                "/files/a/b",
                "/files/",
                "/charge?x=1",
                "/"
            }));
            request.host(
                    pick(random, new String[] {"payments.shop", "PAYMENTS.shop:8080", "other.com", "pay.example"}));
            if (random.nextBoolean()) {
                request.headers(Map.of("X-Token", pick(random, new String[] {"abc", "abx", "bad", "zzz"})));
            }
            if (random.nextBoolean()) {
                request.requestPrincipal(pick(random, new String[] {"iss/alice", "iss/bob", "other/alice"}));
                request.claims(Map.of("group", List.of(pick(random, new String[] {"admins", "users"}))));
                request.audiences(List.of(pick(random, new String[] {"api", "web"})));
            }
        }
        return request.build();
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
