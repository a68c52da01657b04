package dev.signet.operator.injection;

import dev.signet.ca.bundle.TrustBundle;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Keeps the {@code caBundle} of the webhooks in one MutatingWebhookConfiguration equal to the trust bundle in force,
 * so that the API server trusts the webhook's certificate before and after a root rotation: the new root is in the
 * bundle from PREPARE on, before the serving certificate moves under it in ACTIVATE. Run by the leader every few
 * seconds, which also repairs a {@code helm upgrade} that wrote the chart's empty caBundle back.
 */
public final class WebhookCaBundle {

    private static final Logger LOG = Logger.getLogger(WebhookCaBundle.class.getName());

    private final KubernetesClient client;
    private final String configuration;
    private final Supplier<TrustBundle> bundle;
    private boolean reportedMissing;

    public WebhookCaBundle(KubernetesClient client, String configuration, Supplier<TrustBundle> bundle) {
        this.client = client;
        this.configuration = configuration;
        this.bundle = bundle;
    }

    /** Writes the bundle into every webhook of the configuration: the configuration is the control plane's own. */
    public void reconcile() {
        var resource = client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(configuration);
        MutatingWebhookConfiguration current = resource.get();
        if (current == null) {
            if (!reportedMissing) {
                reportedMissing = true;
                LOG.warning(() -> "no MutatingWebhookConfiguration " + configuration + ": pods are not injected");
            }
            return;
        }
        reportedMissing = false;
        String pem = Base64.getEncoder().encodeToString(bundle.get().toPem().getBytes(StandardCharsets.UTF_8));
        if (current.getWebhooks().stream().allMatch(w -> pem.equals(caBundle(w)))) {
            return;
        }
        resource.edit(edited -> {
            edited.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(pem));
            return edited;
        });
        LOG.info(() -> "wrote the trust bundle into the caBundle of " + configuration);
    }

    private static String caBundle(MutatingWebhook webhook) {
        return webhook.getClientConfig() == null
                ? ""
                : Objects.requireNonNullElse(webhook.getClientConfig().getCaBundle(), "");
    }
}
