package dev.signet.policy.compile;

import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.MtlsMode;
import dev.signet.policy.model.WorkloadPort;
import dev.signet.policy.select.Ordered;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;

/**
 * One inbound port as a listener on {@code 0.0.0.0:port}. STRICT: one TLS chain that requires a client
 * certificate. PERMISSIVE: a TLS chain and a plaintext chain, told apart by the TLS inspector. DISABLE: plaintext.
 * HTTP-family ports carry the HTTP RBAC filters inside the connection manager, TCP ports the network RBAC filters.
 */
final class ListenerCompiler {

    /**
     * The most RBAC one port's listener carries. Policies may be large and rules multiply across ports (1.5 MB of YAML
     * once compiled to 34 MB): past this, the port denies every request rather than ship a listener no proxy should
     * hold, and the workload's compilation reports an error.
     */
    static final int MAX_RBAC_BYTES = 1024 * 1024;

    private final CompilerOptions options;
    // The same for every listener of these options: built and serialized once, not once per listener.
    private final TransportSocket tls;
    private final com.google.protobuf.Any router = Protos.pack(Router.getDefaultInstance());
    private final com.google.protobuf.Any tlsInspector = Protos.pack(TlsInspector.getDefaultInstance());

    ListenerCompiler(CompilerOptions options) {
        this.options = options;
        this.tls = TlsContexts.downstreamMtls(options);
    }

    Listener compile(
            WorkloadPort port,
            MtlsMode mode,
            List<Ordered<AuthorizationPolicy>> policies,
            List<String> notes,
            List<String> errors,
            RuleCache rules) {
        int number = port.port();
        boolean tcp = !port.protocolOrDefault().isHttp();
        List<RbacFilters.FilterRules> rbac = RbacFilters.build(policies, tcp, options.flavor(), notes, number, rules);
        long size = RbacFilters.size(rbac);
        if (size > MAX_RBAC_BYTES) {
            errors.add("port " + number + ": the policies that apply compile to " + size + " bytes of RBAC, more than "
                    + MAX_RBAC_BYTES + " a port may carry; every request to it is denied (fail closed) until they are "
                    + "made smaller");
            rbac = List.of(RbacFilters.denyAll());
        }
        List<Filter> filters = tcp ? tcpFilters(number, rbac) : List.of(httpConnectionManager(number, rbac));
        Listener.Builder listener = Listener.newBuilder()
                .setName(options.listenerName(number))
                .setAddress(Address.newBuilder()
                        .setSocketAddress(
                                SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(number)));
        if (mode == MtlsMode.PERMISSIVE && options.flavor() == TlsFlavor.GRPC) {
            // gRPC's xDS server refuses listener filters and never matches a "tls" chain (gRFC A36): it cannot tell
            // plaintext from TLS on one port. Serving mTLS only is the choice that fails closed.
            notes.add("port " + number
                    + ": gRPC cannot accept plaintext and mTLS on one port; PERMISSIVE is served as STRICT");
            mode = MtlsMode.STRICT;
        }
        switch (mode) {
            case STRICT -> listener.addFilterChains(chain("mtls", null, tls, filters));
            case DISABLE -> listener.addFilterChains(chain("plaintext", null, null, filters));
            default -> {
                listener.addListenerFilters(ListenerFilter.newBuilder()
                        .setName("envoy.filters.listener.tls_inspector")
                        .setTypedConfig(tlsInspector));
                listener.addFilterChains(chain("mtls", "tls", tls, filters));
                listener.addFilterChains(chain("plaintext", "raw_buffer", null, filters));
            }
        }
        return listener.build();
    }

    private static FilterChain chain(String name, String transportProtocol, TransportSocket tls, List<Filter> filters) {
        FilterChain.Builder chain = FilterChain.newBuilder().setName(name).addAllFilters(filters);
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
        if (transportProtocol != null) {
            match.setTransportProtocol(transportProtocol);
        }
        chain.setFilterChainMatch(match);
        if (tls != null) {
            chain.setTransportSocket(tls);
        }
        return chain.build();
    }

    private Filter httpConnectionManager(int port, List<RbacFilters.FilterRules> rbac) {
        Route.Builder route =
                Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"));
        if (options.flavor() == TlsFlavor.GRPC) {
            route.setNonForwardingAction(NonForwardingAction.getDefaultInstance());
        } else {
            route.setRoute(RouteAction.newBuilder().setCluster(CompilerOptions.inboundClusterName(port)));
        }
        HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("inbound_" + port)
                .setRouteConfig(RouteConfiguration.newBuilder()
                        .setName("inbound|" + port)
                        .addVirtualHosts(VirtualHost.newBuilder()
                                .setName("inbound|http|" + port)
                                .addDomains("*")
                                .addRoutes(route)));
        for (RbacFilters.FilterRules filter : rbac) {
            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.Builder config =
                    io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder();
            filter.rules().ifPresent(config::setRules);
            filter.shadowRules()
                    .ifPresent(shadow -> config.setShadowRules(shadow)
                            .setShadowRulesStatPrefix("signet_dry_run_" + filter.name() + "_"));
            hcm.addHttpFilters(HttpFilter.newBuilder()
                    .setName("signet.rbac." + filter.name())
                    .setTypedConfig(Protos.pack(config.build())));
        }
        hcm.addHttpFilters(
                HttpFilter.newBuilder().setName("envoy.filters.http.router").setTypedConfig(router));
        return Filter.newBuilder()
                .setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Protos.pack(hcm.build()))
                .build();
    }

    private static List<Filter> tcpFilters(int port, List<RbacFilters.FilterRules> rbac) {
        List<Filter> filters = new java.util.ArrayList<>();
        for (RbacFilters.FilterRules filter : rbac) {
            io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.Builder config = io.envoyproxy
                    .envoy
                    .extensions
                    .filters
                    .network
                    .rbac
                    .v3
                    .RBAC
                    .newBuilder()
                    .setStatPrefix("signet_" + filter.name() + "_");
            filter.rules().ifPresent(config::setRules);
            filter.shadowRules().ifPresent(config::setShadowRules);
            filters.add(Filter.newBuilder()
                    .setName("signet.rbac." + filter.name())
                    .setTypedConfig(Protos.pack(config.build()))
                    .build());
        }
        filters.add(Filter.newBuilder()
                .setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Protos.pack(TcpProxy.newBuilder()
                        .setStatPrefix("inbound_" + port)
                        .setCluster(CompilerOptions.inboundClusterName(port))
                        .build()))
                .build());
        return filters;
    }
}
