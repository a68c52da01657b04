package dev.signet.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.HumanDuration;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.crypto.KeyType;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.rotation.RotationController;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationRefused;
import dev.signet.controlplane.rotation.RotationRequest;
import dev.signet.controlplane.rotation.RotationStatus;
import dev.signet.controlplane.rotation.RotationStatusJson;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The standalone control plane's rotation admin endpoint, for {@code signet rotate}: {@code GET /rotation} (status),
 * {@code POST /rotation/start|advance|rollback|force|issuer}. {@link AdminGuard} lets only loopback callers with the
 * admin credential through: a rotation changes what the whole mesh trusts. A new root is uploaded in the request, never
 * read from a path the caller names. The answers are JSON; a refusal is {@code {"error": …}} with 409, bad input 400.
 */
@ApplicationScoped
public class RotationRoutes {

    /** Room for an uploaded CA with RSA-4096 keys and a few intermediates. */
    private static final long MAX_BODY = 64 * 1024;

    private final ControlPlaneBean bean;
    private final ObjectMapper json = new ObjectMapper();
    private final RotationStatusJson statusJson = new RotationStatusJson();

    RotationRoutes(ControlPlaneBean bean) {
        this.bean = bean;
    }

    void routes(@Observes Router router) {
        router.route(HttpMethod.POST, "/rotation/*").order(-9).handler(this::standaloneOnly);
        router.route(HttpMethod.POST, "/rotation/*")
                .handler(BodyHandler.create().setBodyLimit(MAX_BODY));
        router.get("/rotation").blockingHandler(context -> answer(context, RotationController::status));
        router.post("/rotation/start")
                .blockingHandler(context -> answer(context, controller -> controller.start(startRequest(context))));
        router.post("/rotation/advance").blockingHandler(context -> answer(context, RotationController::advance));
        router.post("/rotation/rollback").blockingHandler(context -> answer(context, RotationController::rollBack));
        router.post("/rotation/issuer")
                .blockingHandler(context -> answer(context, controller -> {
                    JsonNode body = body(context);
                    controller.rotateIssuer(
                            KeyType.fromCliName(body.path("keyType").asText("ec-p256")),
                            body.hasNonNull("validity")
                                    ? HumanDuration.parse(body.get("validity").asText())
                                    : dev.signet.ca.authority.AuthorityMinter.DEFAULT_INTERMEDIATE_VALIDITY);
                    return controller.status();
                }));
        router.post("/rotation/force")
                .blockingHandler(context -> answer(
                        context,
                        controller ->
                                controller.force(body(context).path("reason").asText(""))));
    }

    /** In a cluster only the leader acts, on RootRotation resources; the status stays readable on every replica. */
    private void standaloneOnly(RoutingContext context) {
        if (bean.inCluster()) {
            error(
                    context,
                    409,
                    "in a cluster, a root rotation is driven by a RootRotation resource, not this endpoint");
            return;
        }
        context.next();
    }

    private void answer(RoutingContext context, Function<RotationController, RotationStatus> action) {
        Optional<RotationController> controller =
                Optional.ofNullable(bean.get()).map(ControlPlane::rotation);
        if (controller.isEmpty()) {
            error(context, 409, "the control plane is still starting");
            return;
        }
        try {
            RotationStatus status = action.apply(controller.get());
            var answer = statusJson.toJson(status);
            // Where the rotation is driven from, so that clients give hints that work in this mode.
            answer.put("drivenBy", bean.inCluster() ? "RootRotation" : "admin");
            var signer = controller.get().signer();
            answer.putObject("issuer")
                    .put(
                            "subject",
                            signer.certificate().getSubjectX500Principal().getName())
                    .put("notAfter", signer.notAfter().toString())
                    .put("root", signer.rootFingerprint());
            context.response()
                    .putHeader("Content-Type", "application/json")
                    .end(json.writerWithDefaultPrettyPrinter().writeValueAsString(answer) + "\n");
        } catch (RotationRefused e) {
            error(context, 409, e.getMessage());
        } catch (IllegalArgumentException | dev.signet.ca.CaException e) {
            error(context, 400, e.getMessage());
        } catch (Exception e) {
            error(context, 500, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * {@code {"mode": "automatic"|"manual", "root": {"ca-cert.pem": PEM, "ca-key.pem": PEM, ...}, "keyType": "ec-p256",
     * "rootValidity": "3650d", "archive": false}}; everything optional. {@code root} holds the new CA's files in the
     * plug-in layout, uploaded by the caller: the server reads no key material from a path a caller chose.
     */
    private RotationRequest startRequest(RoutingContext context) {
        JsonNode body = body(context);
        RotationMode mode = switch (body.path("mode").asText("automatic").toLowerCase(java.util.Locale.ROOT)) {
            case "automatic" -> RotationMode.AUTOMATIC;
            case "manual" -> RotationMode.MANUAL;
            default ->
                throw new IllegalArgumentException("mode: expected automatic or manual, not \""
                        + body.path("mode").asText() + "\"");
        };
        if (body.has("rootDirectory")) {
            throw new IllegalArgumentException("rootDirectory: the control plane reads no key material from a path a "
                    + "caller names; upload the files as \"root\" (signet rotate start --root-dir DIR does)");
        }
        Optional<CaMaterial> supplied = Optional.empty();
        if (body.hasNonNull("root")) {
            supplied = Optional.of(uploaded(body.get("root")));
        }
        KeyType keyType = KeyType.fromCliName(body.path("keyType").asText("ec-p256"));
        Duration validity = body.hasNonNull("rootValidity")
                ? HumanDuration.parse(body.get("rootValidity").asText())
                : dev.signet.ca.authority.AuthorityMinter.DEFAULT_ROOT_VALIDITY;
        return new RotationRequest(
                mode, supplied, keyType, validity, body.path("archive").asBoolean(false));
    }

    /** The uploaded CA: known file names with PEM text only. */
    private static CaMaterial uploaded(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("root: expected an object of file name to PEM text");
        }
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> {
            if (!CaMaterial.NAMES.contains(entry.getKey())) {
                throw new IllegalArgumentException("root: unknown file \"" + entry.getKey() + "\"; expected "
                        + String.join(", ", CaMaterial.NAMES));
            }
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("root." + entry.getKey() + ": expected PEM text");
            }
            files.put(entry.getKey(), entry.getValue().asText());
        });
        CaMaterial material = new CaMaterial(files, "the uploaded root");
        if (!material.hasSigner()) {
            throw new IllegalArgumentException("root: needs " + CaMaterial.CA_CERT + " and " + CaMaterial.CA_KEY);
        }
        return material;
    }

    private JsonNode body(RoutingContext context) {
        String text = context.body() == null ? null : context.body().asString();
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(text);
            if (!node.isObject()) {
                throw new IllegalArgumentException("the request body must be a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the request body is not JSON: " + e.getMessage(), e);
        }
    }

    private void error(RoutingContext context, int code, String message) {
        JsonAnswers.error(context, code, message);
    }
}
