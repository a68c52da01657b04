package dev.signet.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.model.Action;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.testing.Meshes;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleCacheTest {

    private static final String MESH = Meshes.PAYMENTS
            + Meshes.workload("shop", "orders", "orders", "app: orders", "{port: 8080, protocol: HTTP}")
            + """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: shop-wide, namespace: shop}
            spec:
              rules:
              - from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"]}}]
                to: [{operation: {methods: ["POST"]}}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-delete, namespace: shop}
            spec:
              action: DENY
              selector: {matchLabels: {app: payments}}
              rules: [{to: [{operation: {methods: ["DELETE"]}}]}]
            ---
            """;

    private final MeshPolicies mesh = Meshes.mesh(MESH);
    private final Rule shopWide = rule("shop-wide");

    private Rule rule(String policy) {
        AuthorizationPolicy found = mesh.authorizationPolicy("shop", policy);
        return found.spec().rules().get(0);
    }

    @Test
    void a_rule_is_compiled_once_per_action_and_port_kind_and_the_next_mesh_reuses_it() {
        RuleCache cache = new RuleCache();
        Optional<Policy> first = cache.compile(shopWide, Action.ALLOW, false);

        assertThat(cache.compile(shopWide, Action.ALLOW, false).get()).isSameAs(first.get());
        assertThat(cache.compile(shopWide, Action.ALLOW, true))
                .as("on a TCP port an ALLOW rule with HTTP-only fields (methods) is dropped, not reused")
                .isEmpty();
        assertThat(cache.compile(shopWide, Action.DENY, false).get()).isNotSameAs(first.get());
        assertThat(first).isEqualTo(RbacRuleCompiler.compile(shopWide, Action.ALLOW, false));

        RuleCache next = cache.next();
        assertThat(next.compile(shopWide, Action.ALLOW, false).get())
                .as("an unchanged rule, the same object in the next mesh")
                .isSameAs(first.get());
        next.forgetBefore();
        assertThat(next.next().compile(shopWide, Action.ALLOW, false).get())
                .as("kept by the mesh that used it last")
                .isSameAs(first.get());

        RuleCache unused = cache.next();
        unused.forgetBefore();
        assertThat(unused.compile(shopWide, Action.ALLOW, false).get())
                .as("a mesh that let go of the ones before compiles afresh")
                .isNotSameAs(first.get())
                .isEqualTo(first.get());
    }

    @Test
    void an_equal_but_new_rule_is_compiled_afresh_as_a_changed_policy_is() {
        RuleCache cache = new RuleCache();
        Policy before = cache.compile(shopWide, Action.ALLOW, false).orElseThrow();
        Rule edited = new Rule(shopWide.from(), shopWide.to(), shopWide.when());

        Policy after = cache.next().compile(edited, Action.ALLOW, false).orElseThrow();

        assertThat(after).isNotSameAs(before).isEqualTo(before);
    }

    @Test
    void workloads_compiled_through_one_cache_get_the_bytes_each_would_get_alone() {
        WorkloadCompiler compiler = new WorkloadCompiler(CompilerOptions.GRPC);
        RuleCache shared = new RuleCache();
        for (String key : new String[] {"shop/payments", "shop/orders", "shop/payments"}) {
            Workload workload = mesh.workload(key).orElseThrow();
            byte[] cached = compiler.compile(mesh, workload, mesh.authorizationPoliciesFor(workload), shared)
                    .toBytes();
            byte[] alone = new WorkloadCompiler(CompilerOptions.GRPC)
                    .compile(mesh, workload)
                    .toBytes();
            assertThat(Arrays.equals(cached, alone)).as(key).isTrue();
        }
        assertThat(shared.size())
                .as("shop-wide's rule on HTTP (both) and on TCP (payments' 9000, dropped), no-delete's on both")
                .isEqualTo(4);
    }
}
