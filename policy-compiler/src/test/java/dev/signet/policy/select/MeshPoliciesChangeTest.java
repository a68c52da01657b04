package dev.signet.policy.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.LoadedResource;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.Workload;
import dev.signet.policy.testing.Meshes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A changed policy gives the same selections as a mesh built from scratch, and names the workloads to recompile. */
class MeshPoliciesChangeTest {

    private static final String WORKLOADS = Meshes.workload("a", "w1", "sa", "app: one", "{port: 80, protocol: HTTP}")
            + Meshes.workload("a", "w2", "sa", "app: two", "{port: 80, protocol: HTTP}")
            + Meshes.workload("b", "w3", "sa", "app: one", "{port: 80, protocol: HTTP}");

    private static String policy(String namespace, String name, String selector) {
        return """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                  %s
                  rules: [{}]
                ---
                """.formatted(name, namespace, selector == null ? "" : "selector: {matchLabels: {" + selector + "}}");
    }

    @Test
    void add_replace_and_remove_match_a_fresh_build() {
        String base = WORKLOADS + policy("a", "p1", "app: one") + policy(Meshes.ROOT, "mesh", null);
        MeshPolicies mesh = Meshes.mesh(base);
        LoadedResource changed = single(policy("a", "p1", "app: two"));
        MeshPolicies updated = mesh.withAuthorizationPolicy(changed);
        MeshPolicies fresh = Meshes.mesh(WORKLOADS + policy("a", "p1", "app: two") + policy(Meshes.ROOT, "mesh", null));
        for (Workload workload : fresh.workloads()) {
            assertThat(keys(updated, workload)).isEqualTo(keys(fresh, workload));
        }
        assertThat(keys(updated, updated.workload("a/w2").orElseThrow())).containsExactly("a/p1", "signet-system/mesh");
        assertThat(keys(mesh, mesh.workload("a/w2").orElseThrow())).containsExactly("signet-system/mesh");

        MeshPolicies removed = updated.withoutAuthorizationPolicy("a", "p1");
        assertThat(keys(removed, removed.workload("a/w2").orElseThrow())).containsExactly("signet-system/mesh");
        assertThat(removed.allAuthorizationPolicies()).hasSize(1);
    }

    @Test
    void the_workloads_a_policy_selects() {
        MeshPolicies mesh = Meshes.mesh(WORKLOADS);
        assertThat(names(mesh, policy("a", "p", "app: one"))).containsExactly("w1");
        assertThat(names(mesh, policy("a", "p", null))).containsExactly("w1", "w2");
        assertThat(names(mesh, policy(Meshes.ROOT, "p", "app: one"))).containsExactly("w1", "w3");
        assertThat(names(mesh, policy(Meshes.ROOT, "p", null))).containsExactly("w1", "w2", "w3");
        assertThat(names(mesh, policy("c", "p", null))).isEmpty();
    }

    private static List<String> names(MeshPolicies mesh, String yaml) {
        return mesh.workloadsSelectedBy((AuthorizationPolicy) single(yaml).resource()).stream()
                .map(w -> w.metadata().name())
                .toList();
    }

    private static List<String> keys(MeshPolicies mesh, Workload workload) {
        return mesh.authorizationPoliciesFor(workload).stream()
                .map(Ordered::key)
                .toList();
    }

    private static LoadedResource single(String yaml) {
        LoadResult result = Meshes.load(yaml);
        assertThat(result.diagnostics()).isEmpty();
        return result.resources().get(0);
    }
}
