package dev.signet.operator.kubernetes;

import dev.signet.controlplane.environment.BundleCoverage;
import dev.signet.controlplane.rotation.NamespaceCoverage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which namespaces carry which trust bundle version, from two watches (namespaces, and Signet's labelled
 * {@code signet-root-cert} ConfigMaps): what the rotation's bundle gates count, without a listing per check.
 */
final class ConfigMapCoverage implements BundleCoverage, AutoCloseable {

    static final String VERSION_ANNOTATION = "signet.dev/bundle-version";

    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ConfigMap> bundles;

    private final List<String> names;

    /** {@code names}: the ConfigMaps a namespace must carry the bundle in. */
    ConfigMapCoverage(KubernetesClient client, List<String> names) {
        this.names = List.copyOf(names);
        this.namespaces = client.namespaces().inform();
        this.bundles = client.configMaps()
                .inAnyNamespace()
                .withLabel(RootCertConfigMap.LABEL, "true")
                .inform();
    }

    /** Namespaces that must carry the bundle: every one not terminating. */
    List<String> namespaces() {
        return namespaces.getStore().list().stream()
                .filter(ns -> !TrustBundleReconciler.terminating(ns))
                .map(ns -> ns.getMetadata().getName())
                .sorted()
                .toList();
    }

    @Override
    public NamespaceCoverage coverage(long version) {
        Set<String> wanted = Set.copyOf(namespaces());
        // Per namespace and ConfigMap, the version it carries; a namespace is done when each of its ConfigMaps is.
        Map<String, Map<String, Long>> carried = bundles.getStore().list().stream()
                .filter(map -> names.contains(map.getMetadata().getName()))
                .collect(Collectors.groupingBy(
                        map -> map.getMetadata().getNamespace(),
                        Collectors.toMap(map -> map.getMetadata().getName(), ConfigMapCoverage::version, Math::max)));
        int published = (int) wanted.stream()
                .filter(ns -> names.stream()
                        .allMatch(name -> carried.getOrDefault(ns, Map.of()).getOrDefault(name, 0L) >= version))
                .count();
        return new NamespaceCoverage(published, wanted.size());
    }

    private static long version(ConfigMap map) {
        String value = map.getMetadata().getAnnotations() == null
                ? null
                : map.getMetadata().getAnnotations().get(VERSION_ANNOTATION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        namespaces.close();
        bundles.close();
    }
}
