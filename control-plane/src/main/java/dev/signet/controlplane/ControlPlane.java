package dev.signet.controlplane;

import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.authority.AuthoritySet;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.ServerNames;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ca.CaMetrics;
import dev.signet.controlplane.ca.CertificateServiceImpl;
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
    private final AtomicReference<AuthoritySet> authorities;
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
        CaDirectory.Contents material = platform.loadOrCreateCa(config.trustDomain(), providers, clock, random);
        this.authorities = new AtomicReference<>(AuthoritySet.bootstrap(material.signer(), clock));
        platform.publishTrustBundle(trustBundle());
        this.ca = CertificateAuthority.withSigner(config.trustDomain(), material.signer(), providers, config.issuance(),
                clock, random);
        TokenAuthenticator authenticator = platform.authenticator(providers, clock, random);
        Serving initial = issueServingCertificate();
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
        source.ifPresent(folder -> scheduler.scheduleWithFixedDelay(() -> {
            try {
                folder.poll();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "reloading " + config.standaloneDirectory().get() + " failed", e);
            }
        }, config.pollInterval().toMillis(), config.pollInterval().toMillis(), TimeUnit.MILLISECONDS));
        this.server = ControlPlaneServer.start(config.grpcAddress(), serving, List.of(
                ControlPlaneServer.withCredentials(new CertificateServiceImpl(ca, this::trustBundle, authenticator, metrics)),
                ControlPlaneServer.withCredentials(new TrustBundleServiceImpl(authenticator, config.trustDomain(),
                        this::trustBundle, trustWatchers)),
                ControlPlaneServer.withCredentials(xds.service())));
        scheduleRenewal(initial);
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
        return authorities.get().trustBundle();
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
                Serving renewed = issueServingCertificate();
                serving.update(renewed.key(), renewed.svid().chain(), trustBundle().roots());
                scheduleRenewal(renewed);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "renewing the serving certificate failed; retrying in a minute", e);
                scheduler.schedule(() -> scheduleRenewal(current), 1, TimeUnit.MINUTES);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        server.close();
    }
}
