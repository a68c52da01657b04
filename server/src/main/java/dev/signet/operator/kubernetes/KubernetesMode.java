package dev.signet.operator.kubernetes;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.environment.Environment;
import dev.signet.controlplane.identity.CachingTokenAuthenticator;
import dev.signet.controlplane.inject.SidecarInjector;
import dev.signet.controlplane.istio.IstioCaSettings;
import dev.signet.controlplane.rotation.RotationController;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.operator.crd.RootRotationResource;
import dev.signet.operator.crd.RootRotationSpec;
import dev.signet.operator.injection.AdmissionReviewer;
import dev.signet.operator.injection.WebhookCaBundle;
import dev.signet.operator.injection.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The control plane in a cluster. Every replica serves the CA (TokenReview, CA in a Secret) and xDS from its own
 * informers; only the holder of the Lease {@code signet-leader} writes (policy status, Events, bundle ConfigMaps).
 */
public final class KubernetesMode implements AutoCloseable {

    static final String LEASE = "signet-leader";
    private static final Logger LOG = Logger.getLogger(KubernetesMode.class.getName());

    private final KubernetesClient client;
    private final ConfigMapCoverage coverage;
    private final ReplicaReports reports;
    private final LeaseLeadership leadership;
    private final ControlPlane controlPlane;
    private final ClusterSource source;
    private final ScheduledExecutorService background;
    private final Operator operator;
    private final ReconcileCounts reconciles = new ReconcileCounts();
    /** One per audience: what the API server's TokenReviews decided, kept for a while. */
    private final java.util.Map<String, CachingTokenAuthenticator> tokenCaches =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Optional<WebhookServer> webhook;

    private KubernetesMode(
            KubernetesClient client,
            ControlPlaneConfig config,
            String identity,
            Runnable onLostLease,
            Clock clock,
            SecureRandom random)
            throws IOException {
        this.client = client;
        this.leadership = new LeaseLeadership(client, config.namespace(), identity, onLostLease, clock);
        List<String> bundleConfigMaps = config.istio().rootCertConfigMap()
                ? List.of(RootCertConfigMap.NAME, IstioCaSettings.ROOT_CERT_CONFIG_MAP)
                : List.of(RootCertConfigMap.NAME);
        this.coverage = new ConfigMapCoverage(client, bundleConfigMaps);
        this.reports = new ReplicaReports(client, config.namespace(), identity);
        this.source = new ClusterSource(client, config.rootNamespace());
        ConfigMapBundlePublisher bundles = new ConfigMapBundlePublisher(coverage, bundleConfigMaps);
        CaSecret caSecret = new CaSecret(client, config.namespace());
        Environment environment = new Environment(
                (trustDomain, providers, clocks, randoms) -> caSecret.loadOrCreate(
                                trustDomain, providers, clocks, randoms)
                        .load(providers),
                audience -> tokenCaches.computeIfAbsent(
                        audience,
                        a -> new CachingTokenAuthenticator(
                                new TokenReviewAuthenticator(client, a),
                                clock,
                                CachingTokenAuthenticator.Settings.defaults())),
                Optional.empty(),
                source,
                bundles,
                new KubernetesRotationStore(client, config.namespace(), clock),
                leadership,
                coverage,
                reports);
        this.controlPlane = ControlPlane.start(config, environment, clock, random);
        ResourceEvents events = new ResourceEvents(client, clock, random);
        this.operator = new Operator(overrider -> overrider
                .withKubernetesClient(client)
                .withMetrics(reconciles)
                .withCloseClientOnStop(false)
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
                        .withLeaseNamespace(config.namespace())
                        .withIdentity(identity)
                        .withLeaderCallbacks(leadership.callbacks())
                        // JOSDK's exit runs System.exit inside the shutdown hook that stops it, and hangs there.
                        .withExitOnStopLeading(false)
                        .build()));
        operator.register(new AuthorizationPolicyStatusReconciler(source, events, clock));
        operator.register(new PeerAuthenticationStatusReconciler(source, events, clock));
        operator.register(bundles.reconciler());
        RotationController rotation = controlPlane.rotation();
        operator.register(new RootRotationReconciler(
                rotation, caSecret, controlPlane::rootAgeing, config.rotationStalledAfter(), events, clock));
        operator.start();
        this.webhook = config.webhookPort() == 0
                ? Optional.empty()
                : Optional.of(WebhookServer.start(
                        config.grpcAddress().getHostString(),
                        config.webhookPort(),
                        controlPlane.servingCredentials().keyManager(),
                        new AdmissionReviewer(new SidecarInjector(config.injection())),
                        random));
        WebhookCaBundle caBundle =
                new WebhookCaBundle(client, config.webhookConfiguration(), controlPlane::trustBundle);
        this.background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "signet-cluster");
            thread.setDaemon(true);
            return thread;
        });
        background.scheduleWithFixedDelay(() -> adoptOrphan(rotation), 5, 5, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(
                () -> {
                    try {
                        reports.publish(controlPlane.report(identity, clock.instant()));
                        if (leadership.leads()) {
                            reports.prune(clock.instant());
                        }
                    } catch (RuntimeException e) {
                        LOG.warning(() -> "could not report this replica's observations: " + e.getMessage());
                    }
                },
                0,
                2,
                TimeUnit.SECONDS);
        if (webhook.isPresent()) {
            background.scheduleWithFixedDelay(
                    () -> {
                        try {
                            if (leadership.leads()) {
                                caBundle.reconcile();
                            }
                        } catch (RuntimeException e) {
                            LOG.warning(() -> "could not update the webhook's caBundle: " + e.getMessage());
                        }
                    },
                    0,
                    2,
                    TimeUnit.SECONDS);
        }
        LOG.info(() -> "Kubernetes mode: namespace " + config.namespace() + ", identity " + identity + ", API server "
                + client.getMasterUrl());
    }

    /**
     * A rotation in progress that no RootRotation shows (started by --auto-rotate, or its resource deleted) gets
     * one, so that its status, conditions and Events have a place; the leader makes it.
     */
    private void adoptOrphan(RotationController rotation) {
        try {
            if (!leadership.leads()) {
                return;
            }
            rotation.rotation().filter(r -> !r.complete()).ifPresent(r -> {
                if (client.resources(RootRotationResource.class)
                                .withName(r.id())
                                .get()
                        == null) {
                    RootRotationResource adopted = new RootRotationResource();
                    adopted.getMetadata().setName(r.id());
                    adopted.getMetadata().setAnnotations(java.util.Map.of(RootRotationReconciler.ADOPTED, "true"));
                    adopted.setSpec(new RootRotationSpec(
                            null, r.mode() == RotationMode.MANUAL ? "Manual" : "Automatic", null, null, null, null));
                    client.resources(RootRotationResource.class)
                            .resource(adopted)
                            .create();
                    LOG.info(() -> "created RootRotation " + r.id() + " to show the rotation in progress");
                }
            });
        } catch (RuntimeException e) {
            LOG.warning(() -> "could not give the rotation in progress a RootRotation resource: " + e.getMessage());
        }
    }

    /**
     * Starts the control plane in the cluster as replica {@code identity}. {@code onLostLease} ends the process: it
     * runs if this replica loses the Lease while running (never during {@link #close()}).
     */
    public static KubernetesMode start(
            KubernetesClient client,
            ControlPlaneConfig config,
            String identity,
            Runnable onLostLease,
            Clock clock,
            SecureRandom random)
            throws IOException {
        return new KubernetesMode(client, config, identity, onLostLease, clock, random);
    }

    /** The TokenReview caches, by audience. */
    public java.util.Map<String, CachingTokenAuthenticator> tokenCaches() {
        return new java.util.TreeMap<>(tokenCaches);
    }

    /** Reconciliations and failures per controller. */
    public ReconcileCounts reconciles() {
        return reconciles;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** Serving, and the mesh built from a full listing of the cluster. */
    public boolean ready() {
        return controlPlane.ready();
    }

    @Override
    public void close() throws InterruptedException {
        leadership.stopping();
        webhook.ifPresent(WebhookServer::close);
        try {
            operator.stop();
            if (leadership.release()) {
                LOG.info(() -> "released the Lease " + LEASE + " for another replica to take");
            }
        } finally {
            background.shutdownNow();
            controlPlane.close();
            coverage.close();
            reports.close();
            client.close();
        }
    }
}
