package dev.signet.operator.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.ArrayList;
import java.util.List;

/** Keeps the trust bundle ConfigMaps in every namespace that is not terminating. */
final class TrustBundleReconciler implements Reconciler<Namespace> {

    private final List<RootCertConfigMap> configMaps;
    /** Fires when the bundle itself changes (a rotation's phase), which no watched object does. */
    private final SimpleInboundEventSource<Namespace> bundleChanged = new SimpleInboundEventSource<>("bundle-changed");

    TrustBundleReconciler(List<RootCertConfigMap> configMaps) {
        this.configMaps = List.copyOf(configMaps);
    }

    @Override
    public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> context) {
        List<EventSource<?, Namespace>> sources = new ArrayList<>(
                EventSourceUtils.dependentEventSources(context, configMaps.toArray(RootCertConfigMap[]::new)));
        sources.add(bundleChanged);
        return sources;
    }

    /** Writes the new bundle into every namespace's ConfigMap (on the leader; elsewhere events are not processed). */
    void bundleChanged(List<String> namespaces) {
        namespaces.forEach(name -> bundleChanged.propagateEvent(new ResourceID(name)));
    }

    @Override
    public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
        if (!terminating(namespace)) {
            configMaps.forEach(configMap -> configMap.reconcile(namespace, context));
        }
        return UpdateControl.noUpdate();
    }

    /**
     * JOSDK already skips a Namespace marked for deletion, since Signet puts no finalizer on it; the check keeps
     * the rule (creating in a terminating namespace is forbidden) here should that ever change.
     */
    static boolean terminating(Namespace namespace) {
        return namespace.getMetadata().getDeletionTimestamp() != null
                || (namespace.getStatus() != null
                        && "Terminating".equals(namespace.getStatus().getPhase()));
    }
}
