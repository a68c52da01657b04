package dev.signet.policy.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.testing.Meshes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every validation rule has a failing case here, and each error names its field path exactly. */
class ValidationRulesTest {

    static String authz(String spec) {
        return """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: p, namespace: shop}
                spec:
                %s
                """.formatted(spec.indent(2).stripTrailing());
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "action: DENY|spec.rules|needs at least one rule",
                "action: CUSTOM\\nprovider: {name: opa}|spec.rules|needs at least one rule",
                "action: CUSTOM\\nrules: [{}]|spec.provider|needs provider.name",
                "provider: {name: opa}\\nrules: [{}]|spec.provider|only allowed with action CUSTOM",
                "selector: {matchLabels: {app: a}}\\ntargetRefs: [{kind: Service, name: a}]|spec.targetRefs|mutually exclusive",
                "targetRef: {kind: Service, name: a}\\ntargetRefs: [{kind: Service, name: b}]|spec.targetRef|not both",
                "targetRefs: [{kind: Service}]|spec.targetRefs[0].name|name is required",
                "targetRefs: [{kind: Service, name: a, namespace: other}]|spec.targetRefs[0].namespace|own namespace",
                "rules: [{from: [{source: {}}]}]|spec.rules[0].from[0].source|at least one field",
                "rules: [{from: [{}]}]|spec.rules[0].from[0].source|at least one field",
                "rules: [{to: [{operation: {}}]}]|spec.rules[0].to[0].operation|at least one field",
                "rules: [{}, {}, {to: [{operation: {paths: [\"/a\", \"/b*c\"]}}]}]|spec.rules[2].to[0].operation.paths[1]|start or the end",
                "rules: [{to: [{operation: {paths: [\"a\"]}}]}]|spec.rules[0].to[0].operation.paths[0]|starts with '/'",
                "rules: [{to: [{operation: {paths: [\"/a/{**}/b\"]}}]}]|spec.rules[0].to[0].operation.paths[0]|{**} must be the last",
                "rules: [{to: [{operation: {paths: [\"/a/{id}\"]}}]}]|spec.rules[0].to[0].operation.paths[0]|is not allowed",
                "rules: [{to: [{operation: {paths: [\"/a/x{*}\"]}}]}]|spec.rules[0].to[0].operation.paths[0]|is not allowed",
                "rules: [{to: [{operation: {paths: [\"/a/*/{*}\"]}}]}]|spec.rules[0].to[0].operation.paths[0]|cannot be mixed",
                "rules: [{to: [{operation: {notPaths: [\"\"]}}]}]|spec.rules[0].to[0].operation.notPaths[0]|must not be empty",
                "rules: [{to: [{operation: {hosts: [\"*a*\"]}}]}]|spec.rules[0].to[0].operation.hosts[0]|only one '*'",
                "rules: [{to: [{operation: {ports: [\"70000\"]}}]}]|spec.rules[0].to[0].operation.ports[0]|out of range",
                "rules: [{to: [{operation: {notPorts: [\"http\"]}}]}]|spec.rules[0].to[0].operation.notPorts[0]|not a port number",
                "rules: [{to: [{operation: {methods: [\"get\"]}}]}]|spec.rules[0].to[0].operation.methods[0]|upper case",
                "rules: [{from: [{source: {principals: [\"spiffe://cluster.local/ns/a/sa/b\"]}}]}]|spec.rules[0].from[0].source.principals[0]|without the scheme",
                "rules: [{from: [{source: {principals: [\"cluster.local/ns/a b\"]}}]}]|spec.rules[0].from[0].source.principals[0]|only letters",
                "rules: [{from: [{source: {notPrincipals: [\"a*b/c\"]}}]}]|spec.rules[0].from[0].source.notPrincipals[0]|start or the end",
                "rules: [{from: [{source: {namespaces: [\"Shop\"]}}]}]|spec.rules[0].from[0].source.namespaces[0]|not a Kubernetes namespace",
                "rules: [{from: [{source: {ipBlocks: [\"10.0.0.0/33\"]}}]}]|spec.rules[0].from[0].source.ipBlocks[0]|prefix length",
                "rules: [{from: [{source: {remoteIpBlocks: [\"example.com\"]}}]}]|spec.rules[0].from[0].source.remoteIpBlocks[0]|not an IP address",
                "rules: [{from: [{source: {serviceAccounts: [\"checkout\"]}}]}]|spec.rules[0].from[0].source.serviceAccounts[0]|<namespace>/<name>",
                "rules: [{from: [{source: {serviceAccounts: [\"shop/a\"], principals: [\"x/y\"]}}]}]|spec.rules[0].from[0].source.serviceAccounts|cannot be combined",
                "rules: [{when: [{key: request.color, values: [a]}]}]|spec.rules[0].when[0].key|unknown condition key",
                "rules: [{when: [{key: \"request.headers[]\", values: [a]}]}]|spec.rules[0].when[0].key|needs a name in brackets",
                "rules: [{when: [{key: source.ip}]}]|spec.rules[0].when[0]|values or notValues",
                "rules: [{when: [{values: [a]}]}]|spec.rules[0].when[0].key|key is required",
                "rules: [{when: [{key: destination.port, values: [\"0\"]}]}]|spec.rules[0].when[0].values[0]|out of range",
                "rules: [{when: [{key: source.ip, notValues: [\"1.2.3\"]}]}]|spec.rules[0].when[0].notValues[0]|not an IP address",
                "rules: [{when: [{key: experimental.envoy.filters.x, values: [a]}]}]|spec.rules[0].when[0].key|not supported",
                "action: REJECT|spec.action|must be one of ALLOW, DENY, AUDIT, CUSTOM",
                "rules: [{from: [{source: {principalz: [a]}}]}]|spec.rules[0].from[0].source.principalz|did you mean 'principals'",
                "rules: [{to: [{operation: {paths: /a}}]}]|spec.rules[0].to[0].operation.paths|expected a list",
                "selectr: {matchLabels: {app: a}}|spec.selectr|did you mean 'selector'",
            })
    void authorization_policy_errors_name_the_field(String spec, String field, String message) {
        assertError(authz(spec.replace("\\n", "\n")), field, message);
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "mtls: {mode: STRICT}\\nportLevelMtls: {\"8080\": {mode: DISABLE}}|spec.portLevelMtls|needs a selector",
                "selector: {matchLabels: {app: a}}\\nportLevelMtls: {\"0\": {mode: DISABLE}}|spec.portLevelMtls[\"0\"]|out of range",
                "selector: {matchLabels: {app: a}}\\nportLevelMtls: {\"web\": {mode: DISABLE}}|spec.portLevelMtls.web|not a port number",
                "mtls: {mode: strict}|spec.mtls.mode|must be one of UNSET, DISABLE, PERMISSIVE, STRICT",
                "mtls: {mod: STRICT}|spec.mtls.mod|did you mean 'mode'",
            })
    void peer_authentication_errors_name_the_field(String spec, String field, String message) {
        assertError("""
                apiVersion: security.istio.io/v1beta1
                kind: PeerAuthentication
                metadata: {name: p, namespace: shop}
                spec:
                %s
                """.formatted(spec.replace("\\n", "\n").indent(2).stripTrailing()), field, message);
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ports: [{port: 8080, protocol: HTTP}]|spec.serviceAccount|serviceAccount is required",
                "serviceAccount: Bad_Name\\nports: []|spec.serviceAccount|not a valid service account",
                "serviceAccount: a\\nports: [{port: 8080}]|spec.ports[0].protocol|protocol is required",
                "serviceAccount: a\\nports: [{port: 8080, protocol: UDP}]|spec.ports[0].protocol|must be one of HTTP, HTTP2, GRPC, TCP",
                "serviceAccount: a\\nports: [{port: 99999, protocol: TCP}]|spec.ports[0].port|out of range",
                "serviceAccount: a\\nports: [{port: 1, protocol: TCP}, {port: 1, protocol: TCP}]|spec.ports[1].port|listed twice",
                "serviceAccount: a\\nports: [{port: eighty, protocol: TCP}]|spec.ports[0].port|expected a whole number",
            })
    void workload_errors_name_the_field(String spec, String field, String message) {
        assertError("""
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: w, namespace: shop}
                spec:
                %s
                """.formatted(spec.replace("\\n", "\n").indent(2).stripTrailing()), field, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "metadata: {namespace: shop}|metadata.name|a name is required",
                "metadata: {name: Bad_Name}|metadata.name|not a valid name",
                "metadata: {name: ok, namespace: Bad}|metadata.namespace|not a valid namespace",
            })
    void metadata_errors_name_the_field(String metadata, String field, String message) {
        assertError(
                "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n" + metadata + "\nspec: {}\n",
                field,
                message);
    }

    private static void assertError(String yaml, String field, String message) {
        LoadResult result = Meshes.load(yaml);
        List<Diagnostic> errors =
                result.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertThat(errors).as(result.diagnostics().toString()).anySatisfy(d -> {
            assertThat(d.field()).isEqualTo(field);
            assertThat(d.message()).contains(message);
        });
        assertThat(result.resources()).as("an invalid resource is never loaded").isEmpty();
    }
}
