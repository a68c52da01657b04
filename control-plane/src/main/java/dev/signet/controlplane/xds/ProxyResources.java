package dev.signet.controlplane.xds;

import com.google.protobuf.Any;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.policy.compile.CompiledWorkload;
import dev.signet.policy.compile.CompilerOptions;
import dev.signet.policy.compile.Protos;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MeshPolicies;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one proxy may have, by resource name: its own workload's inbound listeners (gRPC flavor, compiled from the
 * policies), and for any service it dials, an API listener, a cluster whose mTLS checks the server's SPIFFE ID,
 * and the endpoints. Another workload's inbound listeners are never generated for it.
 */
public final class ProxyResources {

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(ProxyResources.class.getName());

    /** Resources and their content version, for one type and set of names. */
    public record Snapshot(Map<String, Any> resources, String version) {}

    private record Request(String typeUrl, Set<String> names) {}

    private final MeshPolicies mesh;
    private final String trustDomain;
    private final CompiledWorkload inbound;
    private final java.util.concurrent.ConcurrentHashMap<Request, Snapshot> snapshots =
            new java.util.concurrent.ConcurrentHashMap<>();

    private ProxyResources(MeshPolicies mesh, String trustDomain, CompiledWorkload inbound) {
        this.mesh = mesh;
        this.trustDomain = trustDomain;
        this.inbound = inbound;
    }

    /** Serves {@code inbound}, the workload's listeners just compiled in {@code mesh}: their errors are logged once. */
    static ProxyResources compiled(MeshPolicies mesh, String trustDomain, CompiledWorkload inbound) {
        inbound.errors().forEach(error -> LOG.warning(() -> inbound.workload() + ": " + error));
        return new ProxyResources(mesh, trustDomain, inbound);
    }

    /**
     * The same inbound listeners in {@code other}: for a workload whose ports, policies in force (the same objects)
     * and mTLS modes are as they were. What depends on the rest of the mesh (the services it dials) is taken from
     * {@code other}.
     */
    ProxyResources inMesh(MeshPolicies other) {
        return new ProxyResources(other, trustDomain, inbound);
    }

    /** The compiled inbound listeners: for tests of their reuse. */
    CompiledWorkload inbound() {
        return inbound;
    }

    /** Snapshots kept per compiled workload: proxies ask for a handful of name sets, a hostile one for millions. */
    static final int MAX_SNAPSHOTS = 256;

    /**
     * The requested resources and their version, computed once per type and names: every proxy sharing these
     * resources (replicas of one workload) is answered from the same snapshot. Past {@link #MAX_SNAPSHOTS} distinct
     * requests, further ones are computed each time rather than kept.
     */
    public Snapshot snapshot(String typeUrl, Set<String> names) {
        Request request = new Request(typeUrl, Set.copyOf(names));
        Snapshot known = snapshots.get(request);
        if (known != null) {
            return known;
        }
        Map<String, Any> content = resources(request.typeUrl(), request.names());
        Snapshot computed = new Snapshot(content, ContentVersion.of(request.typeUrl(), content));
        if (snapshots.size() < MAX_SNAPSHOTS) {
            Snapshot raced = snapshots.putIfAbsent(request, computed);
            return raced != null ? raced : computed;
        }
        return computed;
    }

    /** How many snapshots are kept: for tests of the bound. */
    int snapshotsKept() {
        return snapshots.size();
    }

    /** The requested resources that exist, by name; an empty request means "all" (inbound listeners for LDS). */
    public Map<String, Any> resources(String typeUrl, Set<String> names) {
        Map<String, Any> out = new LinkedHashMap<>();
        switch (typeUrl) {
            case TypeUrls.LISTENER -> {
                for (Listener listener : inbound.listeners()) {
                    if (names.isEmpty() || names.contains(listener.getName())) {
                        out.put(listener.getName(), Protos.pack(listener));
                    }
                }
                names.stream()
                        .sorted()
                        .filter(name -> !out.containsKey(name))
                        .forEach(name -> inboundListenerAt(name)
                                .or(() -> outboundListener(name))
                                .ifPresent(l -> out.put(name, Protos.pack(l))));
            }
            case TypeUrls.CLUSTER ->
                names.stream()
                        .sorted()
                        .forEach(name -> ServiceTarget.fromClusterName(name)
                                .flatMap(this::cluster)
                                .ifPresent(c -> out.put(name, Protos.pack(c))));
            case TypeUrls.ENDPOINT ->
                names.stream()
                        .sorted()
                        .forEach(name -> ServiceTarget.fromClusterName(name)
                                .flatMap(this::endpoints)
                                .ifPresent(e -> out.put(name, Protos.pack(e))));
            default -> {}
        }
        return out;
    }

    /**
     * The workloads a target names that expose its port: the workload of that name, else every workload of the
     * namespace whose {@code app} (or {@code app.kubernetes.io/name}) label is that name, the Pods of a Deployment,
     * as Istio names a service's workloads. Ordered by name, so that the same mesh gives the same endpoints.
     */
    private List<Workload> resolve(ServiceTarget target) {
        Optional<Workload> named = mesh.workload(target.workloadKey());
        java.util.stream.Stream<Workload> candidates = named.isPresent()
                ? named.stream()
                : mesh.workloads().stream()
                        .filter(w -> target.namespace().equals(w.metadata().namespaceOrDefault()))
                        .filter(w -> target.workload().equals(appName(w)));
        return candidates
                .filter(w -> w.spec().ports().stream().anyMatch(p -> p.port() == target.port()))
                .sorted(java.util.Comparator.comparing(w -> w.metadata().name()))
                .toList();
    }

    private static String appName(Workload workload) {
        java.util.Map<String, String> labels = workload.metadata().labels();
        return labels.getOrDefault("app", labels.get("app.kubernetes.io/name"));
    }

    /**
     * A gRPC server asks for its listener by the address it is bound to: {@code 0.0.0.0:PORT} (what the compiled
     * listener is named), but also {@code [::]:PORT} (what Go's {@code :PORT} gives), {@code 127.0.0.1:PORT} or its
     * own IP. Any of them on one of the workload's ports gets that port's listener, under the name and address asked
     * for: gRPC checks that the listener's address is its own.
     */
    private Optional<Listener> inboundListenerAt(String name) {
        if (!name.startsWith(LISTENING_ADDRESS)) {
            return Optional.empty();
        }
        String address = name.substring(LISTENING_ADDRESS.length());
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !host.matches("[0-9A-Fa-f.:]+")) {
            return Optional.empty();
        }
        String ip = host;
        String compiledName = LISTENING_ADDRESS + "0.0.0.0:" + address.substring(colon + 1);
        return inbound.listeners().stream()
                .filter(listener -> listener.getName().equals(compiledName))
                .findFirst()
                .map(listener -> {
                    Listener.Builder renamed = listener.toBuilder().setName(name);
                    renamed.getAddressBuilder().getSocketAddressBuilder().setAddress(ip);
                    return renamed.build();
                });
    }

    private static final String LISTENING_ADDRESS = "grpc/server?xds.resource.listening_address=";

    private Optional<Listener> outboundListener(String name) {
        return ServiceTarget.parse(name)
                .filter(target -> !resolve(target).isEmpty())
                .map(target -> {
                    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                            .setRouteConfig(RouteConfiguration.newBuilder()
                                    .setName(name)
                                    .addVirtualHosts(VirtualHost.newBuilder()
                                            .setName(name)
                                            .addDomains("*")
                                            .addRoutes(Route.newBuilder()
                                                    .setMatch(RouteMatch.newBuilder()
                                                            .setPrefix(""))
                                                    .setRoute(RouteAction.newBuilder()
                                                            .setCluster(target.clusterName())))))
                            .addHttpFilters(HttpFilter.newBuilder()
                                    .setName("envoy.filters.http.router")
                                    .setTypedConfig(Protos.pack(Router.getDefaultInstance())))
                            .build();
                    return Listener.newBuilder()
                            .setName(name)
                            .setApiListener(ApiListener.newBuilder().setApiListener(Protos.pack(hcm)))
                            .build();
                });
    }

    private Optional<Cluster> cluster(ServiceTarget target) {
        List<Workload> servers = resolve(target);
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        // A server must present the identity of one of the service's workloads.
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
                .setCaCertificateProviderInstance(instance(CompilerOptions.GRPC.trustBundleName()));
        servers.stream()
                .map(server -> SpiffeId.forServiceAccount(
                                trustDomain,
                                server.metadata().namespaceOrDefault(),
                                server.spec().serviceAccount())
                        .uri())
                .distinct()
                .forEach(id -> validation.addMatchSubjectAltNames(
                        StringMatcher.newBuilder().setExact(id)));
        UpstreamTlsContext tls = UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .setTlsCertificateProviderInstance(instance(CompilerOptions.GRPC.certificateName()))
                        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                .setDefaultValidationContext(validation)))
                .build();
        return Optional.of(Cluster.newBuilder()
                .setName(target.clusterName())
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                        .setEdsConfig(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()))
                        .setServiceName(target.clusterName()))
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                .setTransportSocket(TransportSocket.newBuilder()
                        .setName("envoy.transport_sockets.tls")
                        .setTypedConfig(Protos.pack(tls)))
                .build());
    }

    /** One endpoint per workload of the service that has an address; none while none has. */
    private Optional<ClusterLoadAssignment> endpoints(ServiceTarget target) {
        List<Workload> servers = resolve(target).stream()
                .filter(server -> server.spec().address() != null)
                .toList();
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        // One locality for all: gRPC-Go refuses (NACKs) endpoints whose locality is missing.
        LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
                .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.getDefaultInstance())
                .setLoadBalancingWeight(com.google.protobuf.UInt32Value.of(1));
        for (Workload server : servers) {
            locality.addLbEndpoints(LbEndpoint.newBuilder()
                    .setEndpoint(Endpoint.newBuilder()
                            .setAddress(Address.newBuilder()
                                    .setSocketAddress(SocketAddress.newBuilder()
                                            .setAddress(server.spec().address())
                                            .setPortValue(target.port())))));
        }
        return Optional.of(ClusterLoadAssignment.newBuilder()
                .setClusterName(target.clusterName())
                .addEndpoints(locality)
                .build());
    }

    private static CertificateProviderPluginInstance instance(String name) {
        return CertificateProviderPluginInstance.newBuilder()
                .setInstanceName(name)
                .setCertificateName(name)
                .build();
    }
}
