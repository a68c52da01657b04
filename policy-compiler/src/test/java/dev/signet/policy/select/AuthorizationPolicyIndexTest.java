package dev.signet.policy.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.AuthorizationPolicySpec;
import dev.signet.policy.model.ObjectMeta;
import dev.signet.policy.model.Selector;
import dev.signet.policy.model.TargetRef;
import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The index selects exactly what scanning every policy selects, in the same order, on random meshes. */
class AuthorizationPolicyIndexTest {

    private static final String ROOT = MeshPolicies.DEFAULT_ROOT_NAMESPACE;
    private static final String[] NAMESPACES = {ROOT, "a", "b", "c"};
    private static final String[] KEYS = {"app", "tier", "version"};
    private static final String[] VALUES = {"x", "y", "z"};

    @Test
    void index_and_linear_scan_select_the_same_policies() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            List<Ordered<AuthorizationPolicy>> policies = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                policies.add(new Ordered<>(
                        randomPolicy(random, i),
                        random.nextInt(4) == 0
                                ? java.time.Instant.MAX
                                : java.time.Instant.ofEpochSecond(random.nextInt(100)),
                        i));
            }
            AuthorizationPolicyIndex index = new AuthorizationPolicyIndex(ROOT, policies);
            LinearPolicySelector linear = new LinearPolicySelector(ROOT, policies);
            for (int w = 0; w < 40; w++) {
                Workload workload = randomWorkload(random, w);
                assertThat(index.select(workload))
                        .as(workload.toString())
                        .containsExactlyElementsOf(linear.select(workload));
            }
        }
    }

    @Test
    void selection_of_a_mesh_with_no_matching_policy_is_empty() {
        AuthorizationPolicyIndex index = new AuthorizationPolicyIndex(ROOT, List.of());
        assertThat(index.select(randomWorkload(new Random(1), 1))).isEmpty();
    }

    private static AuthorizationPolicy randomPolicy(Random random, int i) {
        String namespace = NAMESPACES[random.nextInt(NAMESPACES.length)];
        Selector selector = null;
        List<TargetRef> refs = null;
        switch (random.nextInt(4)) {
            case 0 -> selector = null;
            case 1 -> selector = new Selector(Map.of());
            case 2 -> selector = new Selector(labels(random, 1 + random.nextInt(2)));
            default ->
                refs = List.of(
                        new TargetRef("", random.nextBoolean() ? "Service" : "Gateway", "w" + random.nextInt(5), null));
        }
        return new AuthorizationPolicy(
                "security.istio.io/v1",
                "AuthorizationPolicy",
                ObjectMeta.of(namespace, "p" + i),
                new AuthorizationPolicySpec(selector, null, refs, null, null, List.of()));
    }

    private static Workload randomWorkload(Random random, int i) {
        String namespace = NAMESPACES[random.nextInt(NAMESPACES.length)];
        return new Workload(
                "security.signet.dev/v1",
                "Workload",
                new ObjectMeta(
                        "w" + random.nextInt(5), namespace, labels(random, random.nextInt(4)), Map.of(), null, null),
                new WorkloadSpec("sa", List.of(), null));
    }

    private static Map<String, String> labels(Random random, int count) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < count; i++) {
            labels.put(KEYS[random.nextInt(KEYS.length)], VALUES[random.nextInt(VALUES.length)]);
        }
        return labels;
    }
}
