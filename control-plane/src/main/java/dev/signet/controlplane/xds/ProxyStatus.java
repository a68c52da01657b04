package dev.signet.controlplane.xds;

import java.time.Instant;
import java.util.Map;

/**
 * What the control plane knows of one connected proxy: its node and workload, and per resource type the version
 * last sent, the version last ACKed, and the version last NACKed with the proxy's error. Root rotation gates on it.
 */
public record ProxyStatus(
        String nodeId, String workload, String identity, Instant connectedAt, Map<String, TypeStatus> types) {

    /** One resource type's state on one proxy. */
    public record TypeStatus(
            String sentVersion, String ackedVersion, String nackedVersion, String nackError, Instant updatedAt) {
        public boolean inSync() {
            return sentVersion != null && sentVersion.equals(ackedVersion);
        }
    }
}
