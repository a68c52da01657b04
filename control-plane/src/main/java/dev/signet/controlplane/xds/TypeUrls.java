package dev.signet.controlplane.xds;

/** The xDS resource types Signet serves. */
public final class TypeUrls {

    public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    /** Types an xDS client may ask for that Signet has nothing of: answered empty, as state of the world wants. */
    private static final java.util.Set<String> KNOWN = java.util.Set.of(
            LISTENER,
            ROUTE,
            CLUSTER,
            ENDPOINT,
            "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
            "type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration",
            "type.googleapis.com/envoy.config.route.v3.VirtualHost",
            "type.googleapis.com/envoy.service.runtime.v3.Runtime",
            "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig");

    private TypeUrls() {}

    /** An xDS v3 type a client may subscribe to; any other is refused. */
    public static boolean isKnown(String typeUrl) {
        return KNOWN.contains(typeUrl);
    }

    /** A short name for logs and metrics: LDS, RDS, CDS, EDS. */
    public static String shortName(String typeUrl) {
        return switch (typeUrl) {
            case LISTENER -> "LDS";
            case ROUTE -> "RDS";
            case CLUSTER -> "CDS";
            case ENDPOINT -> "EDS";
            default -> typeUrl;
        };
    }
}
