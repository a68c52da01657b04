package dev.signet.operator.injection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.controlplane.inject.SidecarInjector;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Answers an {@code admission.k8s.io/v1} AdmissionReview for a pod being created: allowed, with a JSON Patch that adds
 * the agent, or allowed unchanged when the pod opts out. Any other object or operation is allowed unchanged: the
 * webhook configuration sends only pod creations, and a webhook must never be the reason a request fails that it was
 * not asked to judge.
 */
public final class AdmissionReviewer {

    private static final Logger LOG = Logger.getLogger(AdmissionReviewer.class.getName());
    private static final String API_VERSION = "admission.k8s.io/v1";

    /** A request that is not an AdmissionReview the webhook can answer; the message says what is wrong. */
    public static final class InvalidReview extends Exception {
        InvalidReview(String message) {
            super(message);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final SidecarInjector injector;

    public AdmissionReviewer(SidecarInjector injector) {
        this.injector = injector;
    }

    /** The AdmissionReview answering {@code body}. */
    public byte[] review(byte[] body) throws InvalidReview {
        JsonNode review;
        try {
            review = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidReview("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidReview("unreadable: " + e.getMessage());
        }
        if (review == null
                || !API_VERSION.equals(review.path("apiVersion").asText())
                || !"AdmissionReview".equals(review.path("kind").asText())) {
            throw new InvalidReview("expected an AdmissionReview of " + API_VERSION);
        }
        JsonNode request = review.path("request");
        String uid = request.path("uid").asText("");
        if (uid.isEmpty()) {
            throw new InvalidReview("request.uid is missing");
        }
        ObjectNode response = json.createObjectNode().put("uid", uid).put("allowed", true);
        if (isPodCreation(request) && request.path("object") instanceof ObjectNode pod) {
            patch(pod, request)
                    .ifPresent(patch -> response.put("patchType", "JSONPatch")
                            .put("patch", Base64.getEncoder().encodeToString(patch)));
        }
        ObjectNode answer =
                json.createObjectNode().put("apiVersion", API_VERSION).put("kind", "AdmissionReview");
        answer.set("response", response);
        try {
            return json.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an AdmissionReview", e);
        }
    }

    private static boolean isPodCreation(JsonNode request) {
        return "CREATE".equals(request.path("operation").asText())
                && "Pod".equals(request.path("kind").path("kind").asText())
                && request.path("subResource").asText("").isEmpty();
    }

    /** The JSON Patch that injects the pod, or empty when it is left as it is. */
    private Optional<byte[]> patch(ObjectNode pod, JsonNode request) {
        ObjectNode metadata = pod.get("metadata") instanceof ObjectNode m ? m.deepCopy() : json.createObjectNode();
        ObjectNode spec = pod.get("spec") instanceof ObjectNode s ? s.deepCopy() : json.createObjectNode();
        Optional<String> skipped = injector.inject(metadata, spec);
        String name = request.path("namespace").asText() + "/"
                + metadata.path("name").asText(metadata.path("generateName").asText("") + "*");
        if (skipped.isPresent()) {
            LOG.fine(() -> "not injecting pod " + name + ": " + skipped.get());
            return Optional.empty();
        }
        if (spec.equals(pod.get("spec"))) {
            return Optional.empty(); // injected already
        }
        ArrayNode operations = json.createArrayNode();
        // "add" replaces a member that exists (RFC 6902, 4.1), so one operation covers both cases.
        operations.addObject().put("op", "add").put("path", "/spec").set("value", spec);
        operations
                .addObject()
                .put("op", "add")
                .put("path", "/metadata/annotations")
                .set("value", metadata.get("annotations"));
        LOG.fine(() -> "injecting the agent into pod " + name);
        try {
            return Optional.of(json.writeValueAsBytes(operations));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON Patch", e);
        }
    }
}
