package dev.signet.policy.compile;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A workload's compiled inbound configuration: one listener per port, the local clusters they forward to (Envoy
 * flavor), notes on what was adjusted (rules ignored on TCP, CUSTOM failing closed), and errors: what could not be
 * compiled as written and is enforced as deny-all instead.
 */
public record CompiledWorkload(
        String workload, List<Listener> listeners, List<Cluster> clusters, List<String> notes, List<String> errors) {

    /** All resources as one JSON document, in a stable order. */
    public String toJson() {
        StringBuilder out =
                new StringBuilder("{\n  \"workload\": \"").append(workload).append("\",\n  \"listeners\": [");
        appendAll(out, listeners);
        out.append("],\n  \"clusters\": [");
        appendAll(out, clusters);
        out.append("],\n  \"notes\": ");
        try {
            out.append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(notes));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out.append("\n}\n").toString();
    }

    /** The deterministic wire bytes of every resource, concatenated: equal inputs give equal bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        listeners.forEach(listener -> out.writeBytes(Protos.deterministicBytes(listener)));
        clusters.forEach(cluster -> out.writeBytes(Protos.deterministicBytes(cluster)));
        return out.toByteArray();
    }

    private static void appendAll(StringBuilder out, List<? extends com.google.protobuf.Message> messages) {
        for (int i = 0; i < messages.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n")
                    .append(Protos.toJson(messages.get(i)).indent(4).stripTrailing());
        }
        if (!messages.isEmpty()) {
            out.append("\n  ");
        }
    }
}
