package dev.signet.controlplane;

import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.csr.CsrValidator;
import dev.signet.ca.issue.ServerNames;
import dev.signet.ca.issue.X509SvidIssuer;
import dev.signet.ca.jwt.JwtSvidIssuer;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ca.CaMetrics;
import dev.signet.controlplane.ca.CertificateServiceImpl;
import dev.signet.controlplane.ca.IssuanceLimiter;
import dev.signet.controlplane.ca.RenewalRequests;
import dev.signet.controlplane.ca.TrustBundleServiceImpl;
import dev.signet.controlplane.ca.TrustBundleWatchers;
import dev.signet.controlplane.ca.WorkloadSigner;
import dev.signet.controlplane.environment.Environment;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.istio.IstioAgents;
import dev.signet.controlplane.istio.IstioCaSettings;
import dev.signet.controlplane.istio.IstioCertificateServiceImpl;
import dev.signet.controlplane.replicas.GateObservations;
import dev.signet.controlplane.replicas.MeshLeafHolders;
import dev.signet.controlplane.replicas.ReplicaReport;
import dev.signet.controlplane.rotation.ExpiryWatch;
import dev.signet.controlplane.rotation.RotationController;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import dev.signet.controlplane.server.CallPlacement;
import dev.signet.controlplane.server.ControlPlaneServer;
import dev.signet.controlplane.server.ServingCertificate;
import dev.signet.controlplane.server.ServingCredentials;
import dev.signet.controlplane.state.InventoryJournal;
import dev.signet.controlplane.state.InventoryUpkeep;
import dev.signet.controlplane.state.StandaloneEnvironment;
import dev.signet.controlplane.state.StateDirectory;
import dev.signet.controlplane.trust.CurrentTrust;
import dev.signet.controlplane.trust.TrustDistribution;
import dev.signet.controlplane.xds.ProxyStatusRegistry;
import dev.signet.controlplane.xds.XdsServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The composition root: builds the control plane's parts from its configuration and its {@link Environment}, connects
 * them, and schedules their periodic work. It does nothing itself. The parts, in the order they are built:
 * <ul>
 * <li>the leaf inventory (from its journal) and the CA's material (from the environment's store);</li>
 * <li>the agents' bundle watches, the gates' observations over them and the inventory, and the renewal requests;</li>
 * <li>the rotation controller, which decides the signer and the bundle, and the trust distribution that carries them
 * to {@link CurrentTrust}, the published bundle and the agents;</li>
 * <li>the CA (signing with {@link CurrentTrust}'s signer), the serving certificate, the xDS server fed by the
 * environment's mesh source, and the one gRPC port serving the CA, the bundle watch and xDS.</li>
 * </ul>
 * Its accessors are what the process around it (the Quarkus application, the operator, the CLI's demo) and tests
 * need to reach: ports, the status of each part, and the rotation controller.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());

    private final ControlPlaneConfig config;
    private final Environment environment;
    private final CurrentTrust trust;
    private final CertificateAuthority ca;
    private final InventoryJournal journal;
    private final TrustBundleWatchers agents = new TrustBundleWatchers();
    private final IstioAgents istioAgents;
    private final GateObservations gates;
    private final RotationController rotation;
    private final ExpiryWatch expiry;
    private final CaMetrics metrics = new CaMetrics();
    private final ProxyStatusRegistry proxies;
    private final XdsServer xds;
    private final ControlPlaneServer server;
    private final ServingCertificate serving;
    private final Tasks tasks = new Tasks();

    private ControlPlane(
            ControlPlaneConfig config,
            Environment environment,
            CryptoProviders providers,
            Clock clock,
            SecureRandom random)
            throws IOException {
        this.config = config;
        this.environment = environment;
        CaDirectory.Contents material = environment.ca().loadOrCreate(config.trustDomain(), providers, clock, random);
        // The journal lives in the state directory in every environment (in a cluster, the pod's volume).
        StateDirectory.createPrivate(config.stateDirectory());
        InventoryJournal.Opened inventory =
                InventoryJournal.open(config.stateDirectory().resolve("inventory.log"), clock.instant());
        this.journal = inventory.journal();

        this.istioAgents = new IstioAgents(clock);
        this.gates = new GateObservations(
                this::workloadConfirmations,
                inventory.inventory(),
                inventory.jwtSvids(),
                environment.coverage(),
                environment.peers(),
                identity(),
                clock);
        this.trust = new CurrentTrust(material.signer(), TrustBundle.of(1, List.of(material.signer())));
        TrustDistribution distribution = new TrustDistribution(
                trust,
                environment.bundles(),
                agents,
                new RenewalRequests(
                        new MeshLeafHolders(inventory.inventory(), environment.peers()),
                        agents,
                        config.trustDomain(),
                        clock,
                        random));
        this.rotation = new RotationController(
                config.trustDomain(),
                material,
                environment.rotations(),
                gates,
                distribution,
                config.rotation(),
                providers,
                new AuthorityMinter(providers, clock, random),
                clock);
        // Where a restart finds a rotation under way, its phase's signer and bundle take over, the one way they always
        // do.
        distribution.apply(rotation.signer(), rotation.bundle());

        this.ca = new CertificateAuthority(
                config.trustDomain(),
                trust::signer,
                new CsrValidator(providers),
                new X509SvidIssuer(config.issuance(), clock, random),
                inventory.inventory(),
                new JwtSvidIssuer(clock, config.jwtSvidTtl(), new com.fasterxml.jackson.databind.ObjectMapper()),
                inventory.jwtSvids());
        this.serving = new ServingCertificate(
                ca,
                trust,
                identity(),
                config.servingCertificateTtl(),
                new ServerNames(config.servingDnsNames(), config.servingIpAddresses()),
                providers,
                clock,
                random);
        this.expiry = new ExpiryWatch(config.rootExpiryMargin(), config.autoRotate(), clock);
        this.proxies = new ProxyStatusRegistry(clock);
        this.xds = new XdsServer(config.trustDomain(), proxies, tasks.scheduler(), config.debounce());
        WorkloadSigner signer = new WorkloadSigner(
                ca, trust::bundle, metrics, new IssuanceLimiter(config.issuanceLimits(), System::nanoTime), identity());
        IstioCaSettings istio = config.istio();
        CertificateServiceImpl certificates =
                new CertificateServiceImpl(signer, environment.tokens().forAudience(config.tokenAudience()));
        IstioCertificateServiceImpl istioCertificates = new IstioCertificateServiceImpl(
                signer,
                environment.tokens().forAudience(istio.audience()),
                istioAgents,
                config.issuance(),
                istio.rotationTtl(),
                () -> rotation.rotation().map(r -> !r.complete()).orElse(false));
        // Issuance whose caller is known at once runs on the connection's event loop; a TokenReview to make first
        // keeps gRPC's pool (it waits on the API server).
        CallPlacement placement = CallPlacement.POOLED
                .inPlaceWhen(CertificateServiceGrpc.getCreateCertificateMethod(), certificates::answersAtOnce)
                .inPlaceWhen(CertificateServiceGrpc.getCreateJwtSvidMethod(), certificates::answersAtOnce)
                .inPlaceWhen(
                        IstioCertificateServiceGrpc.getCreateCertificateMethod(), istioCertificates::answersAtOnce);
        this.server = ControlPlaneServer.start(
                config.grpcAddress(),
                serving.credentials(),
                List.of(
                        ControlPlaneServer.withCredentials(certificates),
                        ControlPlaneServer.withCredentials(istioCertificates),
                        ControlPlaneServer.withCredentials(new TrustBundleServiceImpl(
                                environment.tokens().forAudience(config.tokenAudience()),
                                config.trustDomain(),
                                trust::bundle,
                                agents)),
                        ControlPlaneServer.withCredentials(xds.service())),
                placement);
        // The port first, then the mesh: while a large folder is read or the informers list, agents get their
        // certificates and reconnecting proxies finish their handshakes, their requests held until the mesh is there.
        try {
            environment.mesh().start(xds::update, tasks.scheduler());
        } catch (RuntimeException e) {
            closeQuietly(server);
            throw e;
        }

        InventoryUpkeep upkeep = new InventoryUpkeep(ca, journal, clock);
        tasks.every(Duration.ofSeconds(1), "refreshing the serving certificate", serving::refresh);
        tasks.every(config.rotation().tick(), "judging the rotation's gate", () -> {
            if (environment.leadership().leads()) {
                rotation.tick();
            } else {
                rotation.follow();
            }
        });
        checkExpiry();
        tasks.every(Duration.ofMinutes(1), "checking the root's expiry", this::checkExpiry);
        tasks.every(Duration.ofMinutes(1), "pruning the leaf inventory", upkeep::run);
        tasks.every(InventoryJournal.SYNC_EVERY, "syncing the leaf inventory journal", journal::sync);
    }

    /** Every workload that counts for the gates: agents watching the bundle, and Istio agents by what they hold. */
    private List<WorkloadConfirmation> workloadConfirmations() {
        List<WorkloadConfirmation> istio = istioAgents.confirmations();
        if (istio.isEmpty()) {
            return agents.confirmations();
        }
        List<WorkloadConfirmation> all = new java.util.ArrayList<>(agents.confirmations());
        all.addAll(istio);
        return all;
    }

    /** A source that cannot start leaves no port open behind the exception. */
    private static void closeQuietly(ControlPlaneServer server) {
        try {
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Warns of an ageing root; only the replica that drives rotations may start one for it. */
    private void checkExpiry() {
        expiry.check(trust.signer(), environment.leadership().leads() ? Optional.of(rotation) : Optional.empty());
    }

    /** Standalone: the CA, token key and rotation in the configured state directory, policies from its folder. */
    public static ControlPlane start(ControlPlaneConfig config, Clock clock, SecureRandom random) throws IOException {
        CryptoProviders providers = CryptoProviders.detect();
        return new ControlPlane(
                config, StandaloneEnvironment.create(config, providers, clock, random), providers, clock, random);
    }

    /**
     * Standalone in {@code stateDirectory}, on ports the system picks, with the system clock: a control plane embedded
     * in a test or a benchmark.
     */
    public static ControlPlane startEphemeral(Path stateDirectory) throws IOException {
        return start(
                ControlPlaneConfig.defaults(stateDirectory).withEphemeralPorts(),
                Clock.systemUTC(),
                new SecureRandom());
    }

    public static ControlPlane start(
            ControlPlaneConfig config, Environment environment, Clock clock, SecureRandom random) throws IOException {
        return new ControlPlane(config, environment, CryptoProviders.detect(), clock, random);
    }

    /** Ready once serving, with the mesh source read in full at least once. */
    public boolean ready() {
        return environment.mesh().ready();
    }

    /** What this replica ({@code replica}, as the others shall name it) observed: its agents' confirmations and leaves. */
    public ReplicaReport report(String replica, Instant now) {
        return gates.report(replica, now);
    }

    /** The control plane's own identity: {@code spiffe://<td>/ns/<namespace>/sa/signet}. */
    public SpiffeId identity() {
        return SpiffeId.forServiceAccount(config.trustDomain(), config.namespace(), "signet");
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** The trust bundle file in the state directory: what agents are given as {@code --ca-root}. */
    public Path rootCertificateFile() {
        return new StateDirectory(config.stateDirectory()).rootCertFile();
    }

    public TrustBundle trustBundle() {
        return trust.bundle();
    }

    /** The authority signing now: its root's and its own remaining validity are what the expiry metrics show. */
    public SigningAuthority signer() {
        return trust.signer();
    }

    /** Whether the signing root is within its expiry margin now. */
    public boolean rootAgeing() {
        return expiry.ageing(trust.signer());
    }

    public RotationController rotation() {
        return rotation;
    }

    /** Whether this replica drives rotations and writes status: always alone, the Lease holder in a cluster. */
    public boolean leads() {
        return environment.leadership().leads();
    }

    /** The mesh source's policies in force and invalid ones. */
    public dev.signet.controlplane.environment.PolicyCounts policyCounts() {
        return environment.mesh().policyCounts();
    }

    /** The issuer of the tokens a standalone control plane accepts ({@code signet token}). */
    public LocalTokenIssuer tokenIssuer() {
        return environment
                .tokenIssuer()
                .orElseThrow(() ->
                        new IllegalStateException("in a cluster, workload tokens come from the Kubernetes API server"));
    }

    public CaMetrics metrics() {
        return metrics;
    }

    /** The key and certificate the gRPC port presents, following renewals: the admission webhook presents them too. */
    public ServingCredentials servingCredentials() {
        return serving.credentials();
    }

    public int grpcPort() {
        return server.port();
    }

    public XdsServer xds() {
        return xds;
    }

    /** The gRPC calls handled, by method and code, and the unary ones' durations (CSRs among them). */
    public dev.signet.controlplane.metrics.GrpcCallMetrics calls() {
        return server.calls();
    }

    /** The agents watching the trust bundle, and the versions they have confirmed. */
    public TrustBundleWatchers trustWatchers() {
        return agents;
    }

    public ProxyStatusRegistry proxies() {
        return proxies;
    }

    @Override
    public void close() throws InterruptedException {
        tasks.close();
        environment.mesh().close();
        server.close();
        try {
            journal.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the leaf inventory journal failed", e);
        }
    }
}
