package dev.signet.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.select.Ordered;
import dev.signet.policy.validate.PolicyValidator;
import org.junit.jupiter.api.Test;

class ProxyResourcesCacheTest {

    private static final String WORKLOADS = """
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: a, namespace: shop, labels: {app: a}}
            spec: {serviceAccount: a, address: 10.0.0.1, ports: [{port: 8080, protocol: GRPC}]}
            ---
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: b, namespace: shop, labels: {app: b}}
            spec: {serviceAccount: b, address: 10.0.0.2, ports: [{port: 8080, protocol: GRPC}]}
            ---
            """;

    private final ResourceLoader loader = new ResourceLoader(new PolicyValidator(MeshPolicies.DEFAULT_ROOT_NAMESPACE));

    private static String policy(String name, String app, String caller) {
        return """
                apiVersion: security.signet.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: {matchLabels: {app: %s}}
                  rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/%s"]}}]}]
                """.formatted(name, app, caller);
    }

    private MeshPolicies mesh(String yaml) {
        var load = loader.loadText("mesh.yaml", yaml);
        assertThat(load.hasErrors()).as("%s", load.diagnostics()).isFalse();
        return MeshPolicies.of(MeshPolicies.DEFAULT_ROOT_NAMESPACE, load.resources());
    }

    private MeshPolicies changed(MeshPolicies mesh, String yaml) {
        AuthorizationPolicy next = (AuthorizationPolicy)
                loader.loadText("change.yaml", yaml).resources().get(0).resource();
        Ordered<AuthorizationPolicy> current = mesh.allAuthorizationPolicies().stream()
                .filter(o -> o.resource().key().equals(next.key()))
                .findFirst()
                .orElseThrow();
        return mesh.withAuthorizationPolicy(next, current.sequence());
    }

    private static String inbound(ProxyResourcesCache cache, String workload) {
        return cache.forWorkload(workload).orElseThrow().inbound().listeners().toString();
    }

    @Test
    void a_workload_whose_policies_did_not_change_keeps_its_compiled_listeners_and_a_changed_one_is_compiled()
            throws Exception {
        MeshPolicies first = mesh(WORKLOADS + policy("pa", "a", "x") + "---\n" + policy("pb", "b", "y"));
        ProxyResourcesCache before = new ProxyResourcesCache(first, "cluster.local");
        var a = before.forWorkload("shop/a").orElseThrow();
        before.forWorkload("shop/b").orElseThrow();

        ProxyResourcesCache after = before.next(changed(first, policy("pb", "b", "z")));

        assertThat(after.forWorkload("shop/a").orElseThrow().inbound())
                .as("a's policy is the same object: not compiled again")
                .isSameAs(a.inbound());
        assertThat(inbound(after, "shop/b")).contains("sa/z").doesNotContain("sa/y");
    }

    @Test
    void a_mesh_built_afresh_is_compiled_afresh_and_a_superseded_cache_is_looked_through() throws Exception {
        String yaml = WORKLOADS + policy("pa", "a", "x") + "---\n" + policy("pb", "b", "y");
        MeshPolicies first = mesh(yaml);
        ProxyResourcesCache before = new ProxyResourcesCache(first, "cluster.local");
        var a = before.forWorkload("shop/a").orElseThrow();

        // Equal in content but new objects (a folder read again): nothing proves the policies the same.
        assertThat(before.next(mesh(yaml)).forWorkload("shop/a").orElseThrow().inbound())
                .isNotSameAs(a.inbound());

        // Two changes within one debounce: the middle cache is never pushed, and a is still not compiled again.
        MeshPolicies second = changed(first, policy("pb", "b", "z"));
        ProxyResourcesCache latest = before.next(second).next(changed(second, policy("pb", "b", "w")));
        assertThat(latest.forWorkload("shop/a").orElseThrow().inbound()).isSameAs(a.inbound());
        assertThat(inbound(latest, "shop/b")).contains("sa/w");

        latest.forgetBefore();
        assertThat(latest.forWorkload("shop/a").orElseThrow().inbound())
                .as("already in this cache")
                .isSameAs(a.inbound());
    }
}
