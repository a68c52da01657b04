package dev.signet.controlplane.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link RotationRecord} as JSON, field by field, so that the stored form stays readable and stable. */
public final class RotationJson {

    private final ObjectMapper mapper = new ObjectMapper();

    public String write(RotationRecord record) {
        ObjectNode root = mapper.createObjectNode();
        root.put("bundleVersion", record.bundleVersion());
        root.put("archiveOldKey", record.archiveOldKey());
        record.rotation().ifPresent(rotation -> root.set("rotation", rotation(rotation)));
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses what {@link #write} wrote; anything else is refused with the field at fault, never half read. */
    public RotationRecord read(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the rotation state is not JSON: " + e.getMessage(), e);
        }
        Optional<RootRotation> rotation =
                root.hasNonNull("rotation") ? Optional.of(rotation(root.get("rotation"))) : Optional.empty();
        return new RotationRecord(
                required(root, "bundleVersion").asLong(),
                rotation,
                root.path("archiveOldKey").asBoolean(false));
    }

    private ObjectNode rotation(RootRotation rotation) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", rotation.id());
        node.put("fromRoot", rotation.fromRoot());
        node.put("toRoot", rotation.toRoot());
        node.put("phase", rotation.phase().name());
        node.put("mode", rotation.mode().name());
        node.put("target", rotation.target().name());
        node.put("rollback", rotation.rollback());
        node.put("bundleVersion", rotation.bundleVersion());
        node.put("startedAt", rotation.startedAt().toString());
        ObjectNode entered = node.putObject("enteredAt");
        rotation.enteredAt().forEach((phase, at) -> entered.put(phase.name(), at.toString()));
        var forced = node.putArray("forced");
        rotation.forced()
                .forEach(gate -> forced.addObject()
                        .put("phase", gate.phase().name())
                        .put("reason", gate.reason())
                        .put("at", gate.at().toString()));
        return node;
    }

    private static RootRotation rotation(JsonNode node) {
        Map<RotationPhase, Instant> entered = new EnumMap<>(RotationPhase.class);
        node.path("enteredAt")
                .fields()
                .forEachRemaining(e -> entered.put(
                        RotationPhase.valueOf(e.getKey()),
                        Instant.parse(e.getValue().asText())));
        List<ForcedGate> forced = new ArrayList<>();
        node.path("forced")
                .forEach(gate -> forced.add(new ForcedGate(
                        RotationPhase.valueOf(required(gate, "phase").asText()),
                        required(gate, "reason").asText(),
                        Instant.parse(required(gate, "at").asText()))));
        return new RootRotation(
                required(node, "id").asText(),
                required(node, "fromRoot").asText(),
                required(node, "toRoot").asText(),
                RotationPhase.valueOf(required(node, "phase").asText()),
                RotationMode.valueOf(required(node, "mode").asText()),
                RotationPhase.valueOf(required(node, "target").asText()),
                node.path("rollback").asBoolean(false),
                required(node, "bundleVersion").asLong(),
                Instant.parse(required(node, "startedAt").asText()),
                entered,
                forced);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the rotation state lacks \"" + field + "\"");
        }
        return value;
    }
}
