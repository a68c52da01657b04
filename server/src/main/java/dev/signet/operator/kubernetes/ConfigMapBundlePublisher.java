package dev.signet.operator.kubernetes;

import dev.signet.ca.bundle.TrustBundle;
import dev.signet.controlplane.environment.BundlePublisher;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes the trust bundle as every namespace's {@code signet-root-cert} ConfigMap: it keeps the bundle to publish,
 * which the ConfigMaps' reconciler reads, and tells the reconciler when it changed so that every namespace is done
 * again (on the leader; elsewhere the events are not processed). The reconciler is made here, before the control plane,
 * so that the bundle flows one way: control plane, publisher, reconciler.
 */
final class ConfigMapBundlePublisher implements BundlePublisher {

    private final AtomicReference<TrustBundle> bundle = new AtomicReference<>();
    private final ConfigMapCoverage namespaces;
    private final TrustBundleReconciler reconciler;

    /** {@code names}: the ConfigMaps each namespace gets, {@code signet-root-cert} first. */
    ConfigMapBundlePublisher(ConfigMapCoverage namespaces, java.util.List<String> names) {
        this.namespaces = namespaces;
        this.reconciler = new TrustBundleReconciler(names.stream()
                .map(name -> new RootCertConfigMap(name, this::current))
                .toList());
    }

    @Override
    public void publish(TrustBundle next) {
        TrustBundle before = bundle.getAndSet(next);
        if (before != null && !before.equals(next)) {
            try {
                reconciler.bundleChanged(namespaces.namespaces());
            } catch (RuntimeException e) {
                // The operator is not running yet: when it starts it reconciles every namespace with the current
                // bundle.
            }
        }
    }

    TrustBundle current() {
        return bundle.get();
    }

    /** The reconciler to register with the operator. */
    TrustBundleReconciler reconciler() {
        return reconciler;
    }
}
