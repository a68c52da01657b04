package dev.signet.operator.kubernetes;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * The control plane in a cluster. Every replica serves the CA (TokenReview, CA in a Secret) and xDS from its own
 * informers; only the holder of the Lease {@code signet-leader} writes (policy status, Events, bundle ConfigMaps).
 */
public final class KubernetesMode implements AutoCloseable {

    static final String LEASE = "signet-leader";
    private static final Logger LOG = Logger.getLogger(KubernetesMode.class.getName());

    private final KubernetesClient client;
    private final ControlPlane controlPlane;
    private final ClusterSource source;
    private final ScheduledExecutorService sourceThread;
    private final Operator operator;

    private KubernetesMode(KubernetesClient client, ControlPlaneConfig config, String identity, Clock clock,
                           SecureRandom random) throws IOException {
        this.client = client;
        this.controlPlane = ControlPlane.start(config, new KubernetesPlatform(client, config.namespace(),
                config.tokenAudience()), clock, random);
        this.sourceThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "signet-cluster-source");
            thread.setDaemon(true);
            return thread;
        });
        this.source = new ClusterSource(client, config.rootNamespace(), controlPlane.xds()::update, sourceThread);
        source.start();
        PolicyEvents events = new PolicyEvents(client, clock, random);
        this.operator = new Operator(overrider -> overrider.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
                        .withLeaseNamespace(config.namespace()).withIdentity(identity).build()));
        operator.register(new AuthorizationPolicyStatusReconciler(source, events, clock));
        operator.register(new PeerAuthenticationStatusReconciler(source, events, clock));
        operator.register(new TrustBundleReconciler(new RootCertConfigMap(controlPlane::trustBundle)));
        operator.start();
        LOG.info(() -> "Kubernetes mode: namespace " + config.namespace() + ", identity " + identity
                + ", API server " + client.getMasterUrl());
    }

    public static KubernetesMode start(KubernetesClient client, ControlPlaneConfig config, String identity, Clock clock,
                                       SecureRandom random) throws IOException {
        return new KubernetesMode(client, config, identity, clock, random);
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** Serving, and the mesh built from a full listing of the cluster. */
    public boolean ready() {
        return controlPlane.ready() && source.synced();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            operator.stop();
        } finally {
            source.close();
            sourceThread.shutdownNow();
            controlPlane.close();
            client.close();
        }
    }
}
