package dev.signet.policy.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edges as a person reads them: what is allowed, what a DENY refuses, and nothing where nothing gets in. */
class CallGraphTest {

    private static List<String> edges(String yaml) {
        LoadResult load = new ResourceLoader(new PolicyValidator("signet-system")).loadText("mesh.yaml", yaml);
        assertThat(load.hasErrors()).as(load.diagnostics().toString()).isFalse();
        CallGraph graph = new CallGraph(MeshPolicies.of("signet-system", load.failingClosed()), "cluster.local");
        return graph.edges().stream()
                .map(e -> e.from().key() + " -> " + e.to().key() + " " + e.label()
                        + (e.deniedByPolicy() ? " (dashed)" : ""))
                .toList();
    }

    private static final String WORKLOADS = """
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: api, namespace: prod, labels: {app: api}}
            spec: {serviceAccount: api, ports: [{port: 8080, protocol: HTTP}, {port: 5432, protocol: TCP}]}
            ---
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: web, namespace: prod, labels: {app: web}}
            spec: {serviceAccount: web}
            ---
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: tool, namespace: dev, labels: {app: tool}}
            spec: {serviceAccount: tool}
            """;

    @Test
    void allowed_calls_label_the_edge_and_a_deny_of_everything_is_dashed() {
        assertThat(edges(WORKLOADS + """
                ---
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: api, namespace: prod}
                spec:
                  selector: {matchLabels: {app: api}}
                  rules:
                  - from: [{source: {principals: ["cluster.local/ns/prod/sa/web"]}}]
                    to: [{operation: {methods: ["GET", "PUT"], paths: ["/items/{*}"], ports: ["8080"]}}]
                ---
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: no-dev, namespace: prod}
                spec:
                  action: DENY
                  rules: [{from: [{source: {namespaces: ["dev"]}}]}]
                """))
                .as("web may not reach the database port: the ALLOW policy names 8080 only")
                .containsExactlyInAnyOrder(
                        "prod/web -> prod/api :8080 GET /items/x, PUT /items/x",
                        "dev/tool -> prod/api :8080 denied: GET /, GET /items/x, PUT /items/x (dashed)",
                        "dev/tool -> prod/api :5432 denied: tcp (dashed)");
    }

    @Test
    void without_allow_policies_every_port_is_open_to_every_caller() {
        assertThat(edges(WORKLOADS))
                .containsExactlyInAnyOrder(
                        "prod/web -> prod/api :8080 any", "dev/tool -> prod/api :8080 any",
                        "prod/web -> prod/api :5432 any", "dev/tool -> prod/api :5432 any");
    }
}
