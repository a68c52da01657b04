package dev.signet.controlplane.rotation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link RotationStatus} as the admin endpoint and {@code signet rotate status -o json} show it. The names are an
 * interface scripts rely on: {@code phase} ({@code NONE} before any rotation), {@code bundleVersion},
 * {@code confirmed}, {@code total}, {@code oldRootLeavesInUse}, and the rest beside them.
 */
public final class RotationStatusJson {

    private final ObjectMapper mapper = new ObjectMapper();

    public ObjectNode toJson(RotationStatus status) {
        ObjectNode node = mapper.createObjectNode();
        node.put("phase", status.phase().map(Enum::name).orElse("NONE"));
        node.put("bundleVersion", status.bundleVersion());
        node.put("confirmed", status.confirmed());
        node.put("total", status.total());
        node.put("oldRootLeavesInUse", status.oldRootLeavesInUse());
        node.put("gate", status.gate());
        node.put("gateOpen", status.gateOpen());
        status.advancesAt().ifPresent(at -> node.put("advancesAt", at.toString()));
        var laggards = node.putArray("laggards");
        status.laggards().forEach(laggards::add);
        node.put("namespacesPublished", status.namespacesPublished());
        node.put("namespacesTotal", status.namespacesTotal());
        status.rotation().ifPresent(rotation -> {
            node.put("id", rotation.id());
            node.put("mode", rotation.mode().name());
            node.put("target", rotation.target().name());
            node.put("rollback", rotation.rollback());
            node.put("fromRoot", rotation.fromRoot());
            node.put("toRoot", rotation.toRoot());
            node.put("startedAt", rotation.startedAt().toString());
        });
        ObjectNode entered = node.putObject("enteredAt");
        status.enteredAt().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> entered.put(e.getKey().name(), e.getValue().toString()));
        var forced = node.putArray("forced");
        status.forced()
                .forEach(gate -> forced.addObject()
                        .put("phase", gate.phase().name())
                        .put("reason", gate.reason())
                        .put("at", gate.at().toString()));
        return node;
    }
}
