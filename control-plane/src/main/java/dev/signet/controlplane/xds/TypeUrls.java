package dev.signet.controlplane.xds;

/** The xDS resource types Signet serves. */
public final class TypeUrls {

    public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    private TypeUrls() {
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
