package dev.signet.controlplane;

import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.csr.CsrValidator;
import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.inventory.LeafInventory;
import dev.signet.ca.issue.X509SvidIssuer;
import dev.signet.controlplane.replicas.OtherReplicas;
import dev.signet.controlplane.replicas.ReplicaObservations;
import dev.signet.controlplane.replicas.ReplicaReport;
import dev.signet.controlplane.rotation.ExpiryWatch;
import dev.signet.controlplane.rotation.NamespaceCoverage;
import dev.signet.controlplane.rotation.Observations;
import dev.signet.controlplane.rotation.RotationController;
import dev.signet.controlplane.rotation.RotationStore;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import dev.signet.controlplane.state.InventoryJournal;
import java.nio.file.Path;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.ServerNames;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ca.CaMetrics;
import dev.signet.controlplane.ca.CertificateServiceImpl;
import dev.signet.controlplane.ca.IssuanceLimiter;
import dev.signet.controlplane.ca.TrustBundleServiceImpl;
import dev.signet.controlplane.ca.TrustBundleWatchers;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.server.ControlPlaneServer;
import dev.signet.controlplane.server.ServingCredentials;
import dev.signet.controlplane.state.LocalPlatform;
import dev.signet.controlplane.state.StateDirectory;
import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import dev.signet.controlplane.standalone.FolderSource;
import dev.signet.controlplane.xds.ProxyStatusRegistry;
import dev.signet.controlplane.xds.XdsServer;
import dev.signet.policy.select.MeshPolicies;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane: the CA (material and token checks from the {@link Platform}), a serving certificate for its own
 * identity (renewed at half its lifetime), the xDS server, and the gRPC port serving both.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());

    private final ControlPlaneConfig config;
    private final CertificateAuthority ca;
    private final AtomicReference<SigningAuthority> signer;
    private final AtomicReference<TrustBundle> bundle;
    private final Optional<RotationController> rotation;
    private final Optional<InventoryJournal> journal;
    private final AtomicReference<Serving> currentServing = new AtomicReference<>();
    private final ExpiryWatch expiry;
    private final Platform platform;
    private final CaMetrics metrics = new CaMetrics();
    private final ServingCredentials serving;
    private final ControlPlaneServer server;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CryptoProviders providers;
    private final SecureRandom random;

    /** A serving key, its certificate, and when it was issued (renewal counts from there, not from NotBefore). */
    private record Serving(java.security.PrivateKey key, X509Svid svid, Instant issuedAt) {
    }
    private final ProxyStatusRegistry proxies;
    private final TrustBundleWatchers trustWatchers = new TrustBundleWatchers();
    private final XdsServer xds;
    private final Optional<FolderSource> source;

    private ControlPlane(ControlPlaneConfig config, Platform platform, Clock clock, SecureRandom random) throws IOException {
        this.config = config;
        this.platform = platform;
        this.clock = clock;
        this.random = random;
        this.providers = CryptoProviders.detect();
        this.proxies = new ProxyStatusRegistry(clock);
        this.expiry = new ExpiryWatch(config.rootExpiryMargin(), config.autoRotate(), clock);
        CaDirectory.Contents material = platform.loadOrCreateCa(config.trustDomain(), providers, clock, random);
        Optional<Path> journalFile = platform.inventoryJournal();
        LeafInventory inventory;
        if (journalFile.isPresent()) {
            InventoryJournal.Opened opened = InventoryJournal.open(journalFile.get(), clock.instant());
            inventory = opened.inventory();
            this.journal = Optional.of(opened.journal());
        } else {
            inventory = new LeafInventory();
            this.journal = Optional.empty();
        }
        Optional<RotationStore> store = platform.rotationStore(clock);
        if (store.isPresent()) {
            this.rotation = Optional.of(new RotationController(config.trustDomain(), material, store.get(), this::observe,
                    new RotationController.Effects() {
                        @Override
                        public void apply(SigningAuthority signer, TrustBundle bundle) {
                            applyTrust(signer, bundle);
                        }

                        @Override
                        public void requestRenewal(String authorityId, TrustBundle bundle, Duration spread) {
                            askHoldersToRenew(authorityId, bundle, spread);
                        }
                    }, config.rotation(), providers, new AuthorityMinter(providers, clock, random), clock));
            this.signer = new AtomicReference<>(rotation.get().signer());
            this.bundle = new AtomicReference<>(rotation.get().bundle());
        } else {
            this.rotation = Optional.empty();
            this.signer = new AtomicReference<>(material.signer());
            this.bundle = new AtomicReference<>(TrustBundle.of(List.of(material.signer().root())));
        }
        platform.publishTrustBundle(trustBundle());
        this.ca = new CertificateAuthority(config.trustDomain(), signer::get, new CsrValidator(providers),
                new X509SvidIssuer(config.issuance(), providers, clock, random), inventory);
        TokenAuthenticator authenticator = platform.authenticator(providers, clock, random);
        Serving initial = issueServingCertificate();
        // Serving certificates of an earlier run (in the journal) are out of use: that process is gone.
        inventory.supersedeAllBut(identity(), initial.svid().serial(), clock.instant());
        this.currentServing.set(initial);
        this.serving = new ServingCredentials(initial.key(), initial.svid().chain(), trustBundle().roots());
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "signet-control-plane");
            thread.setDaemon(true);
            return thread;
        });
        this.xds = new XdsServer(config.trustDomain(), MeshPolicies.of(config.rootNamespace(), List.of()),
                proxies, scheduler, config.debounce());
        this.source = config.standaloneDirectory().map(folder -> new FolderSource(folder, config.rootNamespace(), xds::update));
        source.ifPresent(FolderSource::poll);
        source.ifPresent(folder -> every(config.pollInterval(), "reloading " + config.standaloneDirectory().get(), folder::poll));
        this.server = ControlPlaneServer.start(config.grpcAddress(), serving, List.of(
                ControlPlaneServer.withCredentials(new CertificateServiceImpl(ca, this::trustBundle, authenticator, metrics,
                        new IssuanceLimiter(config.issuanceLimits(), System::nanoTime), identity())),
                ControlPlaneServer.withCredentials(new TrustBundleServiceImpl(authenticator, config.trustDomain(),
                        this::trustBundle, trustWatchers)),
                ControlPlaneServer.withCredentials(xds.service())));
        scheduleRenewal(initial);
        rotation.ifPresent(controller -> every(config.rotation().tick(), "judging the rotation's gate", () -> {
            if (platform.leads()) {
                controller.tick();
            } else {
                controller.follow();
            }
        }));
        checkExpiry();
        every(Duration.ofMinutes(1), "checking the root's expiry", this::checkExpiry);
        every(Duration.ofMinutes(1), "pruning the leaf inventory", this::pruneInventory);
        journal.ifPresent(j -> every(InventoryJournal.SYNC_EVERY, "syncing the leaf inventory journal", j::sync));
    }

    /** Warns of an ageing root; only the replica that drives rotations may start one for it. */
    private void checkExpiry() {
        expiry.check(signer.get(), platform.leads() ? rotation : Optional.empty());
    }

    /** Runs {@code task} every {@code period}; a failure is logged and the next run goes ahead. */
    private void every(Duration period, String what, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, what + " failed", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * What a rotation's gates are judged on: confirmations from the bundle watchers, leaves from the inventory; with
     * other replicas, their reports merged with this one's.
     */
    private Observations observe(String oldRoot, Optional<String> crossLinked) {
        Instant now = clock.instant();
        NamespaceCoverage namespaces = platform.namespaceCoverage(bundle.get().version());
        List<WorkloadConfirmation> confirmations = trustWatchers.confirmations();
        Optional<OtherReplicas> others = platform.otherReplicas();
        if (others.isPresent()) {
            return ReplicaObservations.merge(confirmations, namespaces, report(identity().uri(), now), others.get(),
                    oldRoot, crossLinked, now);
        }
        LeafInventory.Count old = ca.inventory().inUseUnder(oldRoot, now, 10);
        LeafInventory.Count linked = crossLinked.map(id -> ca.inventory().inUseUnder(id, now, 10))
                .orElse(new LeafInventory.Count(0, List.of()));
        return new Observations(confirmations, namespaces.published(), namespaces.total(), old.total(), named(old),
                linked.total(), named(linked));
    }

    /** What this replica ({@code replica}, as the others shall name it) observed: its agents' confirmations and leaves. */
    public ReplicaReport report(String replica, Instant now) {
        return ReplicaReport.of(replica, now, trustWatchers.confirmations(), ca.inventory());
    }

    /** Leaf holders as status names them. */
    private static List<String> named(LeafInventory.Count leaves) {
        return leaves.first().stream().map(leaf -> leaf.id().uri() + " (serial " + leaf.serial().toString(16) + ")").toList();
    }

    /** A rotation moved: the new signer and bundle take effect everywhere, the serving certificate included. */
    private synchronized void applyTrust(SigningAuthority newSigner, TrustBundle newBundle) {
        SigningAuthority previous = signer.getAndSet(newSigner);
        TrustBundle before = bundle.getAndSet(newBundle);
        try {
            platform.publishTrustBundle(newBundle);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "publishing trust bundle v" + newBundle.version() + " failed", e);
        }
        // Agents are sent the bundle when they connect; a phase that changes only the signer (ACTIVATE) leaves it as
        // it is, and sending it again to every agent would only delay the renewal requests that follow.
        if (!newBundle.equals(before)) {
            trustWatchers.publish(newBundle);
        }
        Serving held = currentServing.get();
        if (!previous.chain().equals(newSigner.chain())) {
            renewServing(held);
        } else {
            serving.update(held.key(), held.svid().chain(), newBundle.roots());
        }
    }

    private void askHoldersToRenew(String authorityId, TrustBundle current, Duration spread) {
        java.util.Set<SpiffeId> holders = ca.inventory().holdersUnder(authorityId, clock.instant());
        int asked = trustWatchers.requestRenewal(current, spread, random,
                identity -> holders.contains(identity.spiffeId(config.trustDomain())));
        LOG.info(() -> "asked " + asked + " agents to renew within " + spread.toMillis() + " ms (" + holders.size()
                + " identities hold leaves to replace)");
    }

    private void pruneInventory() {
        LeafInventory inventory = ca.inventory();
        inventory.prune(clock.instant());
        List<IssuedLeaf> kept = inventory.unreplaced();
        if (journal.isPresent() && journal.get().mostlyStale(kept.size())) {
            try {
                journal.get().rewrite(kept);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "compacting the leaf inventory journal failed", e);
            }
        }
    }

    /** Ready once serving, with the standalone folder's configuration (if any) loaded at least once. */
    public boolean ready() {
        return source.map(folder -> folder.appliedGenerations() > 0).orElse(true);
    }



    /** Standalone: the CA and token key in the configured state directory. */
    public static ControlPlane start(ControlPlaneConfig config, Clock clock, SecureRandom random) throws IOException {
        return start(config, new LocalPlatform(new StateDirectory(config.stateDirectory()), config.tokenAudience()),
                clock, random);
    }

    public static ControlPlane start(ControlPlaneConfig config, Platform platform, Clock clock, SecureRandom random)
            throws IOException {
        return new ControlPlane(config, platform, clock, random);
    }

    /** The control plane's own identity: {@code spiffe://<td>/ns/<namespace>/sa/signet}. */
    public SpiffeId identity() {
        return SpiffeId.forServiceAccount(config.trustDomain(), config.namespace(), "signet");
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** The trust bundle file in the state directory: what agents are given as {@code --ca-root}. */
    public java.nio.file.Path rootCertificateFile() {
        return new StateDirectory(config.stateDirectory()).rootCertFile();
    }

    public TrustBundle trustBundle() {
        return bundle.get();
    }

    /** The authority signing now: its root's and its own remaining validity are what the expiry metrics show. */
    public SigningAuthority signer() {
        return signer.get();
    }

    /** Whether the signing root is within its expiry margin now. */
    public boolean rootAgeing() {
        return expiry.ageing(signer.get());
    }

    /** Root rotation, where the platform keeps its state durably (standalone: the state directory). */
    public Optional<RotationController> rotation() {
        return rotation;
    }

    /** The issuer of the tokens a standalone control plane accepts ({@code signet token}). */
    public LocalTokenIssuer tokenIssuer() {
        if (platform instanceof LocalPlatform local) {
            return local.tokenIssuer();
        }
        throw new IllegalStateException("in a cluster, workload tokens come from the Kubernetes API server");
    }

    public CaMetrics metrics() {
        return metrics;
    }

    public int grpcPort() {
        return server.port();
    }

    public XdsServer xds() {
        return xds;
    }

    /** The agents watching the trust bundle, and the versions they have confirmed. */
    public TrustBundleWatchers trustWatchers() {
        return trustWatchers;
    }

    public ProxyStatusRegistry proxies() {
        return proxies;
    }

    public Optional<FolderSource> folderSource() {
        return source;
    }


    private Serving issueServingCertificate() {
        KeyPair keys = KeyType.EC_P256.generate(providers, random);
        X509Svid svid = ca.signServing(keys.getPublic(), identity(), config.servingCertificateTtl(),
                new ServerNames(config.servingDnsNames(), config.servingIpAddresses()));
        return new Serving(keys.getPrivate(), svid, clock.instant());
    }

    /** Renews at half the lifetime counted from issuance: NotBefore is backdated and would make it due too early. */
    private void scheduleRenewal(Serving current) {
        Duration lifetime = Duration.between(current.issuedAt(), current.svid().notAfter());
        Instant renewAt = current.issuedAt().plus(lifetime.dividedBy(2));
        long delay = Math.max(1000, Duration.between(clock.instant(), renewAt).toMillis());
        scheduler.schedule(() -> {
            try {
                renewServing(current);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "renewing the serving certificate failed; retrying in a minute", e);
                scheduler.schedule(() -> scheduleRenewal(current), 1, TimeUnit.MINUTES);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Replaces {@code held} by a new serving certificate from the signer now in use, unless it was replaced already
     * (a rotation re-issues out of turn, and the renewal scheduled for the old one then has nothing to do).
     */
    private synchronized void renewServing(Serving held) {
        if (currentServing.get() != held) {
            return;
        }
        Serving renewed = issueServingCertificate();
        serving.update(renewed.key(), renewed.svid().chain(), trustBundle().roots());
        currentServing.set(renewed);
        ca.inventory().supersede(identity(), held.svid().serial());
        scheduleRenewal(renewed);
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        server.close();
        journal.ifPresent(j -> {
            try {
                j.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing the leaf inventory journal failed", e);
            }
        });
    }
}
