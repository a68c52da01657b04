package dev.signet.controlplane.xds;

import java.util.Optional;

/**
 * How a proxy names its workload in the xDS node id: {@code signet~<namespace>~<workload>}. The claim is checked
 * against the proxy's certificate before anything is served.
 */
public record NodeId(String namespace, String workload) {

    private static final String PREFIX = "signet~";

    public static Optional<NodeId> parse(String id) {
        if (id == null || !id.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = id.substring(PREFIX.length()).split("~", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NodeId(parts[0], parts[1]));
    }

    public String id() {
        return PREFIX + namespace + "~" + workload;
    }

    /** The workload's {@code namespace/name}. */
    public String workloadKey() {
        return namespace + "/" + workload;
    }
}
