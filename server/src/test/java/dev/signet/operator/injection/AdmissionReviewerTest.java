package dev.signet.operator.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.controlplane.inject.InjectionSettings;
import dev.signet.controlplane.inject.SidecarInjector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AdmissionReviewerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final AdmissionReviewer reviewer = new AdmissionReviewer(
            new SidecarInjector(new InjectionSettings("example/signet:1", "signet.mesh.svc:15012", "signet-ca")));

    @Test
    void aNewPodGetsTheAgentAndKeepsItsOwnAnnotations() throws Exception {
        JsonNode response = review(podCreation("uid-1", "{\"team\":\"payments\"}"));

        assertThat(response.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(response.path("response").path("uid").asText()).isEqualTo("uid-1");
        assertThat(response.path("response").path("allowed").asBoolean()).isTrue();
        assertThat(response.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patched = apply(
                podCreation("uid-1", "{\"team\":\"payments\"}").path("request").path("object"),
                json.readTree(Base64.getDecoder()
                        .decode(response.path("response").path("patch").asText())));
        JsonNode agent = patched.path("spec").path("initContainers").get(0);
        assertThat(agent.path("name").asText()).isEqualTo("signet-agent");
        assertThat(agent.path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(agent.path("image").asText()).isEqualTo("example/signet:1");
        assertThat(agent.path("args").toString()).contains("--ca-address=signet.mesh.svc:15012");
        assertThat(patched.path("spec").path("containers").get(0).path("name").asText())
                .isEqualTo("app");
        assertThat(patched.path("metadata").path("annotations").path("team").asText())
                .isEqualTo("payments");
        assertThat(patched.path("metadata")
                        .path("annotations")
                        .path(SidecarInjector.INJECTED_ANNOTATION)
                        .asText())
                .isEqualTo("example/signet:1");
    }

    @Test
    void aPodWithoutAnnotationsGetsThem() throws Exception {
        JsonNode response = review(podCreation("uid-2", null));
        JsonNode patched = apply(
                podCreation("uid-2", null).path("request").path("object"),
                json.readTree(Base64.getDecoder()
                        .decode(response.path("response").path("patch").asText())));
        assertThat(patched.path("metadata").path("annotations").has(SidecarInjector.INJECTED_ANNOTATION))
                .isTrue();
    }

    @Test
    void aPodThatOptsOutIsAllowedUnchanged() throws Exception {
        JsonNode response = review(podCreation("uid-3", "{\"signet.dev/inject\":\"false\"}"));
        assertThat(response.path("response").path("allowed").asBoolean()).isTrue();
        assertThat(response.path("response").has("patch")).isFalse();
    }

    @Test
    void aPodInjectedAlreadyIsNotPatchedAgain() throws Exception {
        ObjectNode review = podCreation("uid-4", null);
        JsonNode first = review(review);
        JsonNode injected = apply(
                review.path("request").path("object"),
                json.readTree(Base64.getDecoder()
                        .decode(first.path("response").path("patch").asText())));
        ((ObjectNode) review.path("request")).set("object", injected);
        assertThat(review(review).path("response").has("patch")).isFalse();
    }

    @Test
    void otherObjectsAndOperationsAreAllowedUnchanged() throws Exception {
        ObjectNode update = podCreation("uid-5", null);
        ((ObjectNode) update.path("request")).put("operation", "UPDATE");
        assertThat(review(update).path("response").has("patch")).isFalse();
        ObjectNode deployment = podCreation("uid-6", null);
        ((ObjectNode) deployment.path("request").path("kind")).put("kind", "Deployment");
        assertThat(review(deployment).path("response").path("allowed").asBoolean())
                .isTrue();
        assertThat(review(deployment).path("response").has("patch")).isFalse();
    }

    @Test
    void whatIsNotAnAdmissionReviewIsRefusedWithTheReason() {
        assertThatThrownBy(() -> reviewer.review("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AdmissionReviewer.InvalidReview.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() ->
                        reviewer.review("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("expected an AdmissionReview of admission.k8s.io/v1");
        assertThatThrownBy(() -> reviewer.review(
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}"
                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("request.uid");
        assertThatThrownBy(() -> reviewer.review(new byte[0])).isInstanceOf(AdmissionReviewer.InvalidReview.class);
    }

    private JsonNode review(JsonNode request) throws Exception {
        return json.readTree(reviewer.review(json.writeValueAsBytes(request)));
    }

    private ObjectNode podCreation(String uid, String annotations) throws Exception {
        ObjectNode review =
                json.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request")
                .put("uid", uid)
                .put("operation", "CREATE")
                .put("namespace", "shop");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        ObjectNode pod = request.putObject("object").put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata").put("generateName", "payments-");
        if (annotations != null) {
            metadata.set("annotations", json.readTree(annotations));
        }
        pod.putObject("spec")
                .putArray("containers")
                .addObject()
                .put("name", "app")
                .put("image", "shop/payments:1");
        return review;
    }

    /** The patch's operations, which are all "add" of a member of an object, applied to a copy of {@code pod}. */
    private static JsonNode apply(JsonNode pod, JsonNode patch) {
        ObjectNode result = pod.deepCopy();
        for (JsonNode operation : patch) {
            assertThat(operation.path("op").asText()).isEqualTo("add");
            String[] path = operation.path("path").asText().substring(1).split("/");
            ObjectNode parent = result;
            for (int i = 0; i < path.length - 1; i++) {
                parent = (ObjectNode) parent.get(path[i]);
            }
            parent.set(path[path.length - 1], operation.path("value"));
        }
        return result;
    }
}
