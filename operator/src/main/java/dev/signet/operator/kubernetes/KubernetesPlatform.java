package dev.signet.operator.kubernetes;

import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.controlplane.Platform;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.identity.TokenReviewAuthenticator;
import dev.signet.controlplane.replicas.OtherReplicas;
import dev.signet.controlplane.rotation.NamespaceCoverage;
import dev.signet.controlplane.rotation.RotationStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * In a cluster: the CA from a Secret, workload tokens checked by the API server (TokenReview), the trust bundle
 * published by the leader's {@link TrustBundleReconciler} rather than written here, and a root rotation's record in
 * the control plane's namespace, driven by the holder of the Lease and followed by the other replicas.
 */
public final class KubernetesPlatform implements Platform {

    private final KubernetesClient client;
    private final String namespace;
    private final String audience;
    private final Path stateDirectory;
    private final BundleCoverage coverage;
    private final ReplicaReports reports;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicReference<Consumer<TrustBundle>> bundleListener = new AtomicReference<>(bundle -> { });

    KubernetesPlatform(KubernetesClient client, String namespace, String audience, Path stateDirectory,
                       BundleCoverage coverage, ReplicaReports reports) {
        this.client = client;
        this.namespace = namespace;
        this.audience = audience;
        this.stateDirectory = stateDirectory;
        this.coverage = coverage;
        this.reports = reports;
    }

    @Override
    public CaDirectory.Contents loadOrCreateCa(String trustDomain, CryptoProviders providers, Clock clock,
                                               SecureRandom random) {
        return new CaSecret(client, namespace).loadOrCreate(trustDomain, providers, clock, random).load(providers);
    }

    @Override
    public TokenAuthenticator authenticator(CryptoProviders providers, Clock clock, SecureRandom random) {
        return new TokenReviewAuthenticator(client, audience);
    }

    @Override
    public void publishTrustBundle(TrustBundle bundle) {
        // Every namespace's signet-root-cert ConfigMap is written by the leader; it is told the bundle changed.
        bundleListener.get().accept(bundle);
    }

    /** Called with every new trust bundle once the ConfigMaps' writer is running. */
    void onBundleChange(Consumer<TrustBundle> listener) {
        bundleListener.set(listener);
    }

    @Override
    public Optional<RotationStore> rotationStore(Clock clock) {
        return Optional.of(new KubernetesRotationStore(client, namespace, clock));
    }

    /**
     * The pod's own volume keeps the inventory across a restart of the container, which is how a killed control
     * plane comes back; a new pod starts with an empty one.
     */
    @Override
    public Optional<Path> inventoryJournal() {
        return Optional.of(stateDirectory.resolve("inventory.log"));
    }

    @Override
    public boolean leads() {
        return leading.get();
    }

    void leading(boolean now) {
        leading.set(now);
    }

    @Override
    public NamespaceCoverage namespaceCoverage(long version) {
        return coverage.coverage(version);
    }

    /** The gates see every replica's agents and leaves, not only this one's. */
    @Override
    public Optional<OtherReplicas> otherReplicas() {
        return Optional.of(reports.others());
    }

    List<String> namespaces() {
        return coverage.namespaces();
    }
}
