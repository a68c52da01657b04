package dev.signet.cli.rotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.cli.Unavailable;
import dev.signet.cli.reach.AdminClient;
import dev.signet.cli.reach.KubeClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code signet rotate --cluster}: a cluster's interface to rotation is the RootRotation resource, so each command
 * becomes what an admin would {@code kubectl apply} or {@code patch}, and {@code status} reads the resource's status
 * (written by the leader) into the same fields as the standalone endpoint's, so that one printer serves both.
 */
final class ClusterRotations implements AutoCloseable {

    static final String API_VERSION = "security.signet.dev/v1";
    static final String KIND = "RootRotation";
    private static final List<String> PHASES = List.of("Prepare", "Activate", "Retire", "Complete");

    private final KubernetesClient client;
    private final ObjectMapper json = new ObjectMapper();

    ClusterRotations(KubernetesClient client) {
        this.client = client;
    }

    private NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            rotations() {
        return client.genericKubernetesResources(API_VERSION, KIND);
    }

    /** The running rotation's resource (or else the newest), as the standalone status reads; NONE without any. */
    JsonNode status() throws AdminClient.Refused {
        return current()
                .map(this::statusOf)
                .orElseGet(() -> json.createObjectNode()
                        .put("phase", "NONE")
                        .put("drivenBy", KIND)
                        .put("cluster", client.getMasterUrl().toString()));
    }

    /** Asks for a rotation: a RootRotation named {@code name}, its new root generated or read from a Secret. */
    JsonNode start(String name, boolean manual, Map<String, Object> newRoot, boolean archive)
            throws AdminClient.Refused {
        Optional<GenericKubernetesResource> running = current().filter(this::running);
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("newRoot", newRoot);
        spec.put("mode", manual ? "Manual" : "Automatic");
        if (manual) {
            spec.put("targetPhase", "Prepare");
        }
        if (archive) {
            spec.put("archiveOldKey", true);
        }
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(API_VERSION);
        resource.setKind(KIND);
        resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
        resource.setAdditionalProperty("spec", spec);
        GenericKubernetesResource created = call(
                "create RootRotation " + name,
                () -> rotations().resource(resource).create());
        ObjectNode status = statusOf(created);
        running.ifPresent(r -> status.put("queuedBehind", r.getMetadata().getName()));
        return status;
    }

    /** Manual mode: lets the running rotation take its next phase once that phase's gate opens. */
    JsonNode advance() throws AdminClient.Refused {
        GenericKubernetesResource r = runningOrRefuse();
        JsonNode spec = json.valueToTree(r.getAdditionalProperties().get("spec"));
        if (!"Manual".equals(spec.path("mode").asText())) {
            throw new AdminClient.Refused("RootRotation " + r.getMetadata().getName() + " is Automatic: it takes each "
                    + "phase as soon as its gate opens; there is nothing to advance");
        }
        String phase = statusNode(r).path("phase").asText("Prepare");
        int at = PHASES.indexOf(phase);
        String next = PHASES.get(Math.min(PHASES.size() - 1, Math.max(at, 0) + 1));
        return patch(r, Map.of("targetPhase", next));
    }

    JsonNode rollback() throws AdminClient.Refused {
        return patch(runningOrRefuse(), Map.of("rollback", true));
    }

    JsonNode force(String reason) throws AdminClient.Refused {
        return patch(runningOrRefuse(), Map.of("force", Map.of("reason", reason)));
    }

    private JsonNode patch(GenericKubernetesResource r, Map<String, Object> spec) throws AdminClient.Refused {
        String name = r.getMetadata().getName();
        String body;
        try {
            body = json.writeValueAsString(Map.of("spec", spec));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        GenericKubernetesResource patched = call(
                "patch RootRotation " + name,
                () -> rotations().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), body));
        ObjectNode status = statusOf(patched);
        status.set("asked", json.valueToTree(spec));
        return status;
    }

    private GenericKubernetesResource runningOrRefuse() throws AdminClient.Refused {
        return current()
                .filter(this::running)
                .orElseThrow(() -> new AdminClient.Refused("no root rotation runs in the cluster at "
                        + client.getMasterUrl() + " ('signet rotate start " + "--cluster' asks for one)"));
    }

    /** The running rotation, else the newest resource. */
    private Optional<GenericKubernetesResource> current() throws AdminClient.Refused {
        List<GenericKubernetesResource> all =
                call("list RootRotations", () -> rotations().list().getItems());
        Comparator<GenericKubernetesResource> newest = Comparator.comparing(
                (GenericKubernetesResource r) -> r.getMetadata().getCreationTimestamp(),
                Comparator.nullsFirst(Comparator.naturalOrder()));
        Optional<GenericKubernetesResource> running =
                all.stream().filter(this::running).max(newest);
        return running.isPresent() ? running : all.stream().max(newest);
    }

    /** Started (the leader gave it an id) and not complete. */
    private boolean running(GenericKubernetesResource r) {
        JsonNode status = statusNode(r);
        return status.hasNonNull("rotationId")
                && !"Complete".equals(status.path("phase").asText());
    }

    private JsonNode statusNode(GenericKubernetesResource r) {
        JsonNode status = json.valueToTree(r.getAdditionalProperties().get("status"));
        return status == null ? json.createObjectNode() : status;
    }

    /** The resource's status in the standalone endpoint's fields, with the resource's name and its conditions. */
    ObjectNode statusOf(GenericKubernetesResource r) {
        JsonNode status = statusNode(r);
        JsonNode spec = json.valueToTree(r.getAdditionalProperties().get("spec"));
        ObjectNode node = json.createObjectNode();
        node.put("name", r.getMetadata().getName());
        node.put("drivenBy", KIND);
        node.put(
                "phase", status.hasNonNull("phase") ? upper(status.path("phase").asText()) : "PENDING");
        node.put("bundleVersion", status.path("bundleVersion").asLong());
        int[] confirmed = fraction(status.path("confirmed").asText(""));
        node.put("confirmed", confirmed[0]);
        node.put("total", confirmed[1]);
        node.put("oldRootLeavesInUse", status.path("oldRootLeavesInUse").asLong());
        node.put("gate", status.path("gate").asText(""));
        node.put("gateOpen", status.path("gateOpen").asBoolean(false));
        if (status.hasNonNull("advancesAt")) {
            node.put("advancesAt", status.path("advancesAt").asText());
        }
        ArrayNode laggards = node.putArray("laggards");
        status.path("laggards").forEach(laggards::add);
        int[] published = fraction(status.path("namespacesPublished").asText(""));
        node.put("namespacesPublished", published[0]);
        node.put("namespacesTotal", published[1]);
        node.put("id", status.path("rotationId").asText(r.getMetadata().getName()));
        String mode = spec == null ? "Automatic" : spec.path("mode").asText("Automatic");
        node.put("mode", upper(mode));
        // A Manual rotation goes no further than its targetPhase, which is its first phase until raised.
        node.put(
                "target",
                !"Manual".equals(mode)
                        ? "COMPLETE"
                        : upper(
                                spec.hasNonNull("targetPhase")
                                        ? spec.path("targetPhase").asText()
                                        : "Prepare"));
        node.put("rollback", status.path("rollingBack").asBoolean(false));
        node.put("fromRoot", status.path("fromRoot").asText(""));
        node.put("toRoot", status.path("toRoot").asText(""));
        ObjectNode entered = node.putObject("enteredAt");
        status.path("phaseTimes")
                .fields()
                .forEachRemaining(
                        e -> entered.put(upper(e.getKey()), e.getValue().asText()));
        ArrayNode forced = node.putArray("forced");
        status.path("forced")
                .forEach(gate -> forced.addObject()
                        .put("phase", upper(gate.path("phase").asText()))
                        .put("reason", gate.path("reason").asText())
                        .put("at", gate.path("at").asText()));
        node.set(
                "conditions",
                status.path("conditions").isMissingNode() ? json.createArrayNode() : status.path("conditions"));
        return node;
    }

    private static String upper(String phase) {
        return phase.toUpperCase(Locale.ROOT);
    }

    private static int[] fraction(String text) {
        String[] parts = text.split("/");
        try {
            return parts.length == 2
                    ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])}
                    : new int[] {0, 0};
        } catch (NumberFormatException e) {
            return new int[] {0, 0};
        }
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String what, Call<T> call) throws AdminClient.Refused {
        try {
            return call.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 && what.startsWith("list")) {
                throw new Unavailable(
                        "the cluster at " + client.getMasterUrl() + " has no " + KIND + " in " + API_VERSION
                                + ": Signet's CRDs are not installed",
                        e);
            }
            if (e.getCode() == 0) {
                throw new Unavailable(
                        "cannot " + what + " at " + client.getMasterUrl() + ": " + KubeClients.reason(e), e);
            }
            throw new AdminClient.Refused("cannot " + what + ": " + KubeClients.reason(e));
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
