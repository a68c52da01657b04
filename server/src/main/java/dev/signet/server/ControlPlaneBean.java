package dev.signet.server;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.admin.AdminCredential;
import dev.signet.controlplane.admin.AdminRequests;
import dev.signet.controlplane.state.StateDirectory;
import dev.signet.operator.kubernetes.ClusterConnection;
import dev.signet.operator.kubernetes.KubernetesMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/** Starts the control plane with the application (standalone, or as the operator when a cluster is configured). */
@ApplicationScoped
public class ControlPlaneBean {

    private static final Logger LOG = Logger.getLogger(ControlPlaneBean.class.getName());

    private volatile ControlPlaneConfig config;
    private volatile ControlPlane controlPlane;
    private volatile AdminRequests adminRequests;
    private volatile KubernetesMode kubernetes;

    void start(@Observes StartupEvent event) {
        // serve's options arrive as -Dsignet.… properties, beside the SIGNET_… variables: ServeSettings reads both.
        ControlPlaneConfig settings = ControlPlaneConfig.ofProcess();
        config = settings;
        SecureRandom random = new SecureRandom();
        Optional<ClusterConnection> cluster = settings.standaloneDirectory().isPresent()
                ? Optional.empty()
                : ClusterConnection.detect(
                        settings.kubeconfig(), System.getenv(), Path.of(System.getProperty("user.home")));
        try {
            StateDirectory.createPrivate(settings.stateDirectory());
            adminRequests = new AdminRequests(AdminCredential.issue(settings.stateDirectory(), random));
            if (cluster.isPresent()) {
                LOG.info(() -> "a cluster is configured (" + cluster.get() + "): running as the Kubernetes operator");
                kubernetes = KubernetesMode.start(
                        cluster.get().client(),
                        settings,
                        identity(),
                        () -> Quarkus.asyncExit(1),
                        Clock.systemUTC(),
                        random);
                controlPlane = kubernetes.controlPlane();
            } else {
                controlPlane = ControlPlane.start(settings, Clock.systemUTC(), random);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Lease holder's name: the pod's name in a cluster, else the host name with the process id. */
    private static String identity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "signet");
        return host + "-" + ProcessHandle.current().pid();
    }

    /** The operator's reconciliations per controller; empty standalone. */
    public Optional<dev.signet.operator.kubernetes.ReconcileCounts> reconciles() {
        KubernetesMode cluster = kubernetes;
        return cluster == null ? Optional.empty() : Optional.of(cluster.reconciles());
    }

    /** The TokenReview caches by audience; empty standalone, where tokens are checked locally. */
    public java.util.Map<String, dev.signet.controlplane.identity.CachingTokenAuthenticator> tokenCaches() {
        KubernetesMode cluster = kubernetes;
        return cluster == null ? java.util.Map.of() : cluster.tokenCaches();
    }

    /** True when running as the Kubernetes operator. */
    public boolean inCluster() {
        return kubernetes != null;
    }

    /** Serving, with its configuration (the standalone folder, or a full listing of the cluster) loaded. */
    public boolean ready() {
        KubernetesMode cluster = kubernetes;
        if (cluster != null) {
            return cluster.ready();
        }
        return controlPlane != null && controlPlane.ready();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (kubernetes != null) {
            kubernetes.close();
        } else if (controlPlane != null) {
            controlPlane.close();
        }
    }

    /** The admin endpoints' gate, once the credential is written; null before. */
    public AdminRequests adminRequests() {
        return adminRequests;
    }

    /** The settings it started with. */
    public ControlPlaneConfig config() {
        return config;
    }

    public ControlPlane get() {
        return controlPlane;
    }
}
