package dev.signet.operator.kubernetes;

import dev.signet.ca.bundle.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.function.Supplier;

/**
 * A trust bundle ConfigMap of one namespace, {@code signet-root-cert} (and, when asked, Istio's
 * {@code istio-ca-root-cert}): the bundle under {@code root-cert.pem}. Its only job is to say what the ConfigMap must
 * hold; JOSDK creates it, and restores it when someone deletes or edits it.
 */
final class RootCertConfigMap extends CRUDKubernetesDependentResource<ConfigMap, Namespace> {

    static final String NAME = "signet-root-cert";
    static final String KEY = "root-cert.pem";
    static final String LABEL = "signet.dev/trust-bundle";

    private final String name;
    private final Supplier<TrustBundle> bundle;

    RootCertConfigMap(Supplier<TrustBundle> bundle) {
        this(NAME, bundle);
    }

    /** The ConfigMap called {@code name}; each has its own informer, so the name is also the dependent's. */
    RootCertConfigMap(String name, Supplier<TrustBundle> bundle) {
        super(ConfigMap.class, name);
        this.name = name;
        this.bundle = bundle;
    }

    @Override
    protected ConfigMap desired(Namespace namespace, Context<Namespace> context) {
        TrustBundle current = bundle.get();
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace.getMetadata().getName())
                .addToLabels(LABEL, "true")
                .addToLabels("app.kubernetes.io/managed-by", "signet")
                .addToAnnotations(ConfigMapCoverage.VERSION_ANNOTATION, Long.toString(current.version()))
                .endMetadata()
                .addToData(KEY, current.toPem())
                .build();
    }

    /** Only Signet's own ConfigMaps are watched, not every ConfigMap of the cluster. */
    @Override
    protected InformerEventSourceConfiguration.Builder<ConfigMap> informerConfigurationBuilder(
            EventSourceContext<Namespace> context) {
        return super.informerConfigurationBuilder(context).withLabelSelector(LABEL + "=true");
    }
}
