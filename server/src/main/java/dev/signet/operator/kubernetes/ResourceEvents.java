package dev.signet.operator.kubernetes;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Random;
import java.util.logging.Logger;

/** Kubernetes Events on Signet's resources, so that {@code kubectl describe} and {@code kubectl get events} show a rejection. */
final class ResourceEvents {

    private static final Logger LOG = Logger.getLogger(ResourceEvents.class.getName());
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final Clock clock;
    private final Random random;

    ResourceEvents(KubernetesClient client, Clock clock, Random random) {
        this.client = client;
        this.clock = clock;
        this.random = random;
    }

    void rejected(HasMetadata policy, String message) {
        record(policy, Reasons.WARNING, Reasons.INVALID_SPEC, message);
    }

    /** An Event about {@code resource}; one about a cluster-scoped resource goes to namespace default, as kubectl's do. */
    void record(HasMetadata resource, String type, String reason, String message) {
        var metadata = resource.getMetadata();
        String namespace = metadata.getNamespace() == null ? "default" : metadata.getNamespace();
        byte[] suffix = new byte[8];
        random.nextBytes(suffix);
        String now = clock.instant().toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(metadata.getName() + "." + HexFormat.of().formatHex(suffix))
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind())
                        .withName(metadata.getName())
                        .withNamespace(metadata.getNamespace())
                        .withUid(metadata.getUid())
                        .withResourceVersion(metadata.getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message)
                .withNewSource()
                .withComponent("signet")
                .endSource()
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "could not record an Event for " + resource.getKind() + " " + metadata.getNamespace()
                    + "/" + metadata.getName() + ": " + e.getMessage());
        }
    }
}
