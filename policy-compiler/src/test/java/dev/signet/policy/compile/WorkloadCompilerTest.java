package dev.signet.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.testing.Meshes;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadCompilerTest {

    private static final String POLICIES = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: charge, namespace: shop}
            spec:
              selector: {matchLabels: {app: payments}}
              rules:
              - from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"]}}]
                to: [{operation: {methods: ["POST"], paths: ["/charge"]}}]
              - to: [{operation: {ports: ["9000"]}}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-delete, namespace: shop}
            spec:
              action: DENY
              rules: [{to: [{operation: {methods: ["DELETE"]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: watch, namespace: shop}
            spec:
              action: AUDIT
              rules: [{}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: trial, namespace: shop, annotations: {istio.io/dry-run: "true"}}
            spec:
              action: DENY
              rules: [{from: [{source: {namespaces: ["web"]}}]}]
            ---
            """;

    private final MeshPolicies mesh = Meshes.mesh(Meshes.PAYMENTS + POLICIES);

    private CompiledWorkload compile(CompilerOptions options) {
        return new WorkloadCompiler(options).compile(mesh, Meshes.payments(mesh));
    }

    @Test
    void the_same_input_gives_byte_identical_output() {
        byte[] first = compile(CompilerOptions.ENVOY).toBytes();
        MeshPolicies again = Meshes.mesh(Meshes.PAYMENTS + POLICIES);
        byte[] second = new WorkloadCompiler(CompilerOptions.ENVOY)
                .compile(again, Meshes.payments(again))
                .toBytes();
        assertThat(second).isEqualTo(first);
        assertThat(compile(CompilerOptions.ENVOY).toJson())
                .isEqualTo(compile(CompilerOptions.ENVOY).toJson());
    }

    @Test
    void one_listener_per_port_and_permissive_by_default() {
        CompiledWorkload compiled = compile(CompilerOptions.ENVOY);
        assertThat(compiled.listeners())
                .extracting(Listener::getName)
                .containsExactly("inbound|7070", "inbound|8080", "inbound|9000");
        Listener http = compiled.listeners().get(1);
        assertThat(http.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
        assertThat(http.getListenerFiltersList())
                .extracting(f -> f.getName())
                .containsExactly("envoy.filters.listener.tls_inspector");
        assertThat(http.getFilterChainsList())
                .extracting(c -> c.getFilterChainMatch().getTransportProtocol())
                .containsExactly("tls", "raw_buffer");
        assertThat(http.getFilterChains(0).hasTransportSocket()).isTrue();
        assertThat(http.getFilterChains(1).hasTransportSocket()).isFalse();
        assertThat(compiled.clusters())
                .extracting(c -> c.getName())
                .containsExactly("inbound|7070||", "inbound|8080||", "inbound|9000||");
    }

    @Test
    void strict_is_one_tls_chain_requiring_a_client_certificate_and_disable_is_plaintext() throws Exception {
        MeshPolicies strict = Meshes.mesh(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: pa, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  mtls: {mode: STRICT}
                  portLevelMtls: {"9000": {mode: DISABLE}}
                """);
        CompiledWorkload compiled =
                new WorkloadCompiler(CompilerOptions.ENVOY).compile(strict, Meshes.payments(strict));
        Listener http = compiled.listeners().get(1);
        assertThat(http.getFilterChainsCount()).isEqualTo(1);
        assertThat(http.getListenerFiltersCount()).isZero();
        DownstreamTlsContext tls =
                http.getFilterChains(0).getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        assertThat(tls.getCommonTlsContext()
                        .getTlsCertificateSdsSecretConfigs(0)
                        .getName())
                .isEqualTo("default");
        assertThat(tls.getCommonTlsContext()
                        .getValidationContextSdsSecretConfig()
                        .getName())
                .isEqualTo("ROOTCA");
        Listener tcp = compiled.listeners().get(2);
        assertThat(tcp.getFilterChainsCount()).isEqualTo(1);
        assertThat(tcp.getFilterChains(0).hasTransportSocket()).isFalse();
    }

    @Test
    void rbac_filters_run_audit_then_deny_then_allow_then_the_router() throws Exception {
        FilterChain chain = compile(CompilerOptions.ENVOY).listeners().get(1).getFilterChains(0);
        List<HttpFilter> filters = chain.getFilters(0)
                .getTypedConfig()
                .unpack(HttpConnectionManager.class)
                .getHttpFiltersList();
        assertThat(filters)
                .extracting(HttpFilter::getName)
                .containsExactly(
                        "signet.rbac.audit", "signet.rbac.deny", "signet.rbac.allow", "envoy.filters.http.router");
        var audit = http(filters.get(0));
        var deny = http(filters.get(1));
        var allow = http(filters.get(2));
        assertThat(audit.getRules().getAction()).isEqualTo(RBAC.Action.LOG);
        assertThat(deny.getRules().getAction()).isEqualTo(RBAC.Action.DENY);
        assertThat(deny.getRules().getPoliciesMap()).containsOnlyKeys("ns[shop]-policy[no-delete]-rule[0]");
        assertThat(deny.getShadowRules().getPoliciesMap()).containsOnlyKeys("ns[shop]-policy[trial]-rule[0]");
        assertThat(allow.getRules().getAction()).isEqualTo(RBAC.Action.ALLOW);
        assertThat(allow.getRules().getPoliciesMap())
                .containsOnlyKeys("ns[shop]-policy[charge]-rule[0]", "ns[shop]-policy[charge]-rule[1]");
    }

    @Test
    void tcp_ports_use_network_rbac_and_drop_allow_rules_with_http_fields() throws Exception {
        CompiledWorkload compiled = compile(CompilerOptions.ENVOY);
        FilterChain chain = compiled.listeners().get(2).getFilterChains(0);
        assertThat(chain.getFiltersList())
                .extracting(f -> f.getName())
                .containsExactly(
                        "signet.rbac.audit",
                        "signet.rbac.deny",
                        "signet.rbac.allow",
                        "envoy.filters.network.tcp_proxy");
        var allow = chain.getFilters(2)
                .getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
        assertThat(allow.getRules().getPoliciesMap()).containsOnlyKeys("ns[shop]-policy[charge]-rule[1]");
        var deny = chain.getFilters(1)
                .getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
        assertThat(deny.getRules()
                        .getPoliciesMap()
                        .get("ns[shop]-policy[no-delete]-rule[0]")
                        .getPermissions(0)
                        .getAny())
                .as("the DENY rule loses its HTTP-only field and denies every TCP connection")
                .isTrue();
        assertThat(compiled.notes())
                .contains("port 9000 (TCP): ALLOW policy shop/charge rule 0 uses HTTP-only fields and is ignored here");
    }

    @Test
    void an_empty_spec_is_an_allow_filter_with_no_policies_and_no_policy_is_no_filter() throws Exception {
        MeshPolicies denyAll = Meshes.mesh(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-all, namespace: shop}
                spec: {}
                """);
        FilterChain chain = new WorkloadCompiler(CompilerOptions.ENVOY)
                .compile(denyAll, Meshes.payments(denyAll))
                .listeners()
                .get(1)
                .getFilterChains(0);
        List<HttpFilter> filters = chain.getFilters(0)
                .getTypedConfig()
                .unpack(HttpConnectionManager.class)
                .getHttpFiltersList();
        assertThat(filters).hasSize(2);
        assertThat(http(filters.get(0)).getRules().getAction()).isEqualTo(RBAC.Action.ALLOW);
        assertThat(http(filters.get(0)).getRules().getPoliciesMap()).isEmpty();

        MeshPolicies none = Meshes.mesh(Meshes.PAYMENTS);
        FilterChain open = new WorkloadCompiler(CompilerOptions.ENVOY)
                .compile(none, Meshes.payments(none))
                .listeners()
                .get(1)
                .getFilterChains(0);
        assertThat(open.getFilters(0)
                        .getTypedConfig()
                        .unpack(HttpConnectionManager.class)
                        .getHttpFiltersList())
                .extracting(HttpFilter::getName)
                .containsExactly("envoy.filters.http.router");
    }

    @Test
    void grpc_flavor_names_listeners_by_address_uses_provider_instances_and_drops_audit() throws Exception {
        CompiledWorkload compiled = compile(CompilerOptions.GRPC);
        Listener grpc = compiled.listeners().get(0);
        assertThat(grpc.getName()).isEqualTo("grpc/server?xds.resource.listening_address=0.0.0.0:7070");
        assertThat(compiled.clusters()).isEmpty();
        DownstreamTlsContext tls =
                grpc.getFilterChains(0).getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
        assertThat(tls.getCommonTlsContext().getTlsCertificateProviderInstance().getInstanceName())
                .isEqualTo("default");
        assertThat(tls.getCommonTlsContext()
                        .getCombinedValidationContext()
                        .getDefaultValidationContext()
                        .getCaCertificateProviderInstance()
                        .getInstanceName())
                .isEqualTo("ROOTCA");
        HttpConnectionManager hcm =
                grpc.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).hasNonForwardingAction())
                .isTrue();
        assertThat(hcm.getHttpFiltersList()).extracting(HttpFilter::getName).doesNotContain("signet.rbac.audit");
        assertThat(compiled.notes()).anyMatch(note -> note.contains("AUDIT policies are not sent to gRPC"));
    }

    @Test
    void grpc_listeners_never_carry_listener_filters_and_permissive_is_served_as_strict() throws Exception {
        CompiledWorkload compiled = compile(CompilerOptions.GRPC);
        for (Listener listener : compiled.listeners()) {
            assertThat(listener.getListenerFiltersList())
                    .as("gRPC NACKs listener filters (gRFC A36)")
                    .isEmpty();
            assertThat(listener.getFilterChainsList()).singleElement().satisfies(chain -> {
                assertThat(chain.hasTransportSocket()).isTrue();
                assertThat(chain.getFilterChainMatch().getTransportProtocol()).isEmpty();
            });
        }
        assertThat(compiled.notes())
                .contains(
                        "port 8080: gRPC cannot accept plaintext and mTLS on one port; PERMISSIVE is served as STRICT");
    }

    @Test
    void custom_compiles_to_a_deny_and_says_so() throws Exception {
        MeshPolicies custom = Meshes.mesh(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: ext, namespace: shop}
                spec:
                  action: CUSTOM
                  provider: {name: opa}
                  rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
                """);
        CompiledWorkload compiled =
                new WorkloadCompiler(CompilerOptions.ENVOY).compile(custom, Meshes.payments(custom));
        List<HttpFilter> filters = compiled.listeners()
                .get(1)
                .getFilterChains(0)
                .getFilters(0)
                .getTypedConfig()
                .unpack(HttpConnectionManager.class)
                .getHttpFiltersList();
        assertThat(filters.get(0).getName()).isEqualTo("signet.rbac.custom");
        assertThat(http(filters.get(0)).getRules().getAction()).isEqualTo(RBAC.Action.DENY);
        assertThat(compiled.notes()).anyMatch(note -> note.contains("fail closed"));
    }

    @Test
    void the_json_form_is_envoy_json_with_typed_configs() {
        String json = compile(CompilerOptions.ENVOY).toJson();
        assertThat(json)
                .contains("\"workload\": \"shop/payments\"")
                .contains("\"@type\": \"type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC\"")
                .contains("ns[shop]-policy[charge]-rule[0]")
                .contains("\"exact\": \"spiffe://cluster.local/ns/shop/sa/checkout\"");
    }

    @Test
    void policies_that_compile_past_the_budget_deny_every_request_to_the_port_and_say_so() throws Exception {
        StringBuilder principals = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            principals
                    .append(i == 0 ? "" : ", ")
                    .append("\"cluster.local/ns/shop/sa/caller-")
                    .append(i)
                    .append('"');
        }
        MeshPolicies huge = Meshes.mesh(Meshes.PAYMENTS + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: huge, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  rules: [{from: [{source: {principals: [%s]}}]}]
                """.formatted(principals));
        CompiledWorkload compiled = new WorkloadCompiler(CompilerOptions.GRPC).compile(huge, Meshes.payments(huge));
        assertThat(compiled.errors()).hasSize(3).allMatch(error -> error.contains("fail closed"));
        Listener http = compiled.listeners().stream()
                .filter(l -> l.getName().endsWith(":8080"))
                .findFirst()
                .orElseThrow();
        HttpConnectionManager hcm =
                http.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        RBAC rules = http(hcm.getHttpFilters(0)).getRules();
        assertThat(rules.getAction()).isEqualTo(RBAC.Action.ALLOW);
        assertThat(rules.getPoliciesCount())
                .as("an ALLOW set with no policy: nothing is allowed")
                .isZero();
        assertThat(compiled.toBytes().length)
                .as("bounded however large the input")
                .isLessThan(64 * 1024);
    }

    private static io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC http(HttpFilter filter)
            throws InvalidProtocolBufferException {
        return filter.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
    }
}
