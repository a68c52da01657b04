package dev.signet.controlplane.xds;

import java.util.Optional;

/**
 * An outbound target as clients dial it, {@code xds:///<name>.<namespace>:<port>}: the listener resource name is
 * {@code <name>.<namespace>:<port>}, where the name is a workload's, or the {@code app} label of a service's workloads.
 */
public record ServiceTarget(String workload, String namespace, int port) {

    public static Optional<ServiceTarget> parse(String name) {
        int colon = name.lastIndexOf(':');
        int dot = name.indexOf('.');
        if (colon < 0 || dot <= 0 || dot > colon || name.indexOf('/') >= 0) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(name.substring(colon + 1));
            String workload = name.substring(0, dot);
            String namespace = name.substring(dot + 1, colon);
            return namespace.isEmpty() || namespace.contains(".")
                    ? Optional.empty()
                    : Optional.of(new ServiceTarget(workload, namespace, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String listenerName() {
        return workload + "." + namespace + ":" + port;
    }

    public String clusterName() {
        return "outbound|" + port + "||" + workload + "." + namespace;
    }

    public String workloadKey() {
        return namespace + "/" + workload;
    }

    /** The inverse of {@link #clusterName()}. */
    public static Optional<ServiceTarget> fromClusterName(String cluster) {
        if (!cluster.startsWith("outbound|")) {
            return Optional.empty();
        }
        String[] parts = cluster.split("\\|", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        return parse(parts[3] + ":" + parts[1]);
    }
}
