package dev.signet.policy.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.LoadedResource;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.Workload;
import dev.signet.policy.testing.Meshes;
import dev.signet.policy.validate.PolicyValidator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The mesh {@link IncrementalMesh} hands out is, after every change, the one a full build of the same resources
 * gives: compared on what the compiler asks of it (the policies per workload, in order, and mTLS per port).
 */
class IncrementalMeshTest {

    private static final List<String> NAMESPACES = List.of("a", "b", Meshes.ROOT);
    private static final List<String> APPS = List.of("one", "two", "three");
    private final ResourceLoader loader = new ResourceLoader(new PolicyValidator(Meshes.ROOT));

    @Test
    void every_update_equals_a_full_build_of_the_same_resources() {
        Random random = new Random(17);
        Map<String, Resource> resources = new LinkedHashMap<>();
        for (String ns : List.of("a", "b")) {
            for (String app : APPS) {
                put(resources, workload(ns, app));
            }
        }
        put(resources, peerAuthentication("a", "STRICT"));
        IncrementalMesh incremental = new IncrementalMesh(Meshes.ROOT);
        for (int step = 0; step < 300; step++) {
            int what = random.nextInt(10);
            if (what < 7) {
                put(resources, authorizationPolicy(random));
            } else if (what < 9 && resources.keySet().stream().anyMatch(k -> k.startsWith("AuthorizationPolicy"))) {
                List<String> keys = resources.keySet().stream()
                        .filter(k -> k.startsWith("AuthorizationPolicy"))
                        .toList();
                resources.remove(keys.get(random.nextInt(keys.size())));
            } else {
                put(resources, peerAuthentication("a", random.nextBoolean() ? "STRICT" : "PERMISSIVE"));
            }
            List<Resource> shuffled = new ArrayList<>(resources.values());
            Collections.shuffle(shuffled, random); // informer caches list in no particular order
            MeshPolicies updated = incremental.update(shuffled);
            assertSameAs(updated, MeshPolicies.byCreation(Meshes.ROOT, resources.values()), step);
        }
        assertThat(incremental.incrementalBuilds())
                .as("policy-only changes are applied incrementally")
                .isGreaterThan(150);
        assertThat(incremental.fullBuilds())
                .as("a PeerAuthentication change is a full build")
                .isGreaterThan(1);
    }

    @Test
    void a_workload_change_or_many_policies_at_once_are_a_full_build() {
        Random random = new Random(3);
        Map<String, Resource> resources = new LinkedHashMap<>();
        put(resources, workload("a", "one"));
        IncrementalMesh incremental = new IncrementalMesh(Meshes.ROOT);
        incremental.update(resources.values());
        put(resources, authorizationPolicy(random));
        incremental.update(resources.values());
        assertThat(incremental.incrementalBuilds()).isEqualTo(1);

        put(resources, workload("a", "two"));
        incremental.update(resources.values());
        assertThat(incremental.fullBuilds()).isEqualTo(2);

        for (int i = 0; i <= IncrementalMesh.MOST_CHANGES; i++) {
            put(resources, policy("a", "many-" + i, "one", "ALLOW", "2026-01-01T00:00:00Z"));
        }
        MeshPolicies many = incremental.update(resources.values());
        assertThat(incremental.fullBuilds()).isEqualTo(3);
        assertSameAs(many, MeshPolicies.byCreation(Meshes.ROOT, resources.values()), -1);
    }

    private static void assertSameAs(MeshPolicies actual, MeshPolicies expected, int step) {
        for (Workload workload : expected.workloads()) {
            assertThat(keys(actual, workload))
                    .as("policies of %s after step %d", workload.key(), step)
                    .isEqualTo(keys(expected, workload));
            assertThat(actual.mtls(workload, 80))
                    .as("mTLS of %s after step %d", workload.key(), step)
                    .isEqualTo(expected.mtls(workload, 80));
        }
        assertThat(actual.allAuthorizationPolicies().stream().map(Ordered::key).toList())
                .isEqualTo(expected.allAuthorizationPolicies().stream()
                        .map(Ordered::key)
                        .toList());
    }

    private static List<String> keys(MeshPolicies mesh, Workload workload) {
        return mesh.authorizationPoliciesFor(workload).stream()
                .map(o -> o.key() + " " + o.resource().spec())
                .toList();
    }

    /** A policy of a few names, so that most steps replace one; creation times collide on purpose. */
    private Resource authorizationPolicy(Random random) {
        String ns = NAMESPACES.get(random.nextInt(NAMESPACES.size()));
        String app = random.nextInt(4) == 0 ? null : APPS.get(random.nextInt(APPS.size()));
        String action = random.nextBoolean() ? "ALLOW" : "DENY";
        String created = "2026-01-01T00:00:0" + random.nextInt(3) + "Z";
        return policy(ns, "p" + random.nextInt(6), app, action, created);
    }

    private Resource policy(String ns, String name, String app, String action, String created) {
        return single("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: %s, namespace: %s, creationTimestamp: "%s"}
                spec:
                  %s
                  action: %s
                  rules: [{from: [{source: {principals: ["cluster.local/ns/x/sa/%s"]}}]}]
                """.formatted(
                name, ns, created, app == null ? "" : "selector: {matchLabels: {app: " + app + "}}", action, name));
    }

    private Resource peerAuthentication(String ns, String mode) {
        return single("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: %s, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec: {mtls: {mode: %s}}
                """.formatted(ns, mode));
    }

    private Resource workload(String ns, String app) {
        return single(Meshes.workload(ns, app, "sa", "app: " + app, "{port: 80, protocol: HTTP}"));
    }

    private static void put(Map<String, Resource> resources, Resource resource) {
        resources.put(resource.kind() + " " + resource.key(), resource);
    }

    private Resource single(String yaml) {
        LoadResult result = loader.loadText("test.yaml", yaml);
        assertThat(result.diagnostics()).isEmpty();
        List<LoadedResource> loaded = result.resources();
        assertThat(loaded).hasSize(1);
        return loaded.get(0).resource();
    }
}
