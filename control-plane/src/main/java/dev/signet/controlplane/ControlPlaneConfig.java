package dev.signet.controlplane;

import dev.signet.ca.HumanDuration;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.jwt.JwtSvidIssuer;
import dev.signet.ca.lifetime.ExpiryMargin;
import dev.signet.controlplane.ca.IssuanceLimiter;
import dev.signet.controlplane.config.ServeSettings;
import dev.signet.controlplane.config.Settings;
import dev.signet.controlplane.inject.InjectionSettings;
import dev.signet.controlplane.istio.IstioCaSettings;
import dev.signet.controlplane.rotation.RotationSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The control plane's settings as its parts take them (addresses, policies, paces), read from {@link ServeSettings},
 * where each is declared once with its default. A {@code with…} gives one setting a value, as its option would.
 */
public final class ControlPlaneConfig {

    /** The serving certificate's lifetime; it is renewed at half of it. */
    private static final Duration SERVING_TTL = Duration.ofHours(24);

    private final Map<String, String> given;
    private final Settings.Sources sources;
    private final ServeSettings settings;

    private ControlPlaneConfig(Map<String, String> given, Settings.Sources sources) {
        this.given = Map.copyOf(given);
        this.sources = sources;
        this.settings = Settings.load(given, sources);
        // What SmallRye's types cannot check is checked now, so that a bad value stops the start, naming its option.
        check("--root-expiry-margin", this::rootExpiryMargin);
        check("--rotation-…", this::rotation);
        check("--issuance-…", this::issuanceLimits);
        check("--default-ttl/--max-ttl", this::issuance);
        check("--istio-…", this::istio);
    }

    private static void check(String options, java.util.function.Supplier<?> value) {
        try {
            value.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(options + ": " + e.getMessage(), e);
        }
    }

    /** The defaults, with the state in {@code stateDirectory}: for tests, demos and embedding. */
    public static ControlPlaneConfig defaults(Path stateDirectory) {
        return new ControlPlaneConfig(Map.of("state-dir", stateDirectory.toString()), Settings.Sources.GIVEN_ONLY);
    }

    /** As {@code signet serve} is configured: its options, {@code -Dsignet.…} properties and variables. */
    public static ControlPlaneConfig ofProcess() {
        return new ControlPlaneConfig(Map.of(), Settings.Sources.PROCESS);
    }

    /** This configuration with {@code key} (as in {@code signet.<key>}) set to {@code value}, written as an option's. */
    public ControlPlaneConfig with(String key, String value) {
        Map<String, String> changed = new TreeMap<>(given);
        changed.put(key, value);
        return new ControlPlaneConfig(changed, sources);
    }

    public ControlPlaneConfig withGrpcAddress(InetSocketAddress address) {
        return with("address", address.getHostString()).with("grpc-port", Integer.toString(address.getPort()));
    }

    /** The gRPC port chosen by the system on loopback: for tests and demos that run several control planes. */
    public ControlPlaneConfig withEphemeralPorts() {
        return withGrpcAddress(new InetSocketAddress("127.0.0.1", 0));
    }

    public ControlPlaneConfig withTrustDomain(String value) {
        return with("trust-domain", value);
    }

    /** Serve the policies and workloads of this folder, reloading it when it changes. */
    public ControlPlaneConfig withStandaloneDirectory(Path folder) {
        return with("standalone", folder.toString());
    }

    public ControlPlaneConfig withTiming(Duration debounce, Duration pollInterval) {
        return with("xds-debounce", HumanDuration.format(debounce))
                .with("poll-interval", HumanDuration.format(pollInterval));
    }

    /** How root rotations are paced: gate settle time, tick, the renewal-rate cap and its shortest window. */
    public ControlPlaneConfig withRotation(RotationSettings value) {
        return with("rotation.settle", HumanDuration.format(value.settle()))
                .with("rotation.tick", HumanDuration.format(value.tick()))
                .with("rotation.issuance-rate", Double.toString(value.issuanceRate()))
                .with("rotation.min-spread", HumanDuration.format(value.minSpread()));
    }

    /** How many certificates one identity may be issued, at once and per second. */
    public ControlPlaneConfig withIssuanceLimits(IssuanceLimiter.Limits value) {
        return with("issuance.rate-per-identity", Double.toString(value.perSecond()))
                .with("issuance.burst-per-identity", Integer.toString(value.burst()));
    }

    public Path stateDirectory() {
        return settings.stateDir();
    }

    public String trustDomain() {
        return settings.trustDomain();
    }

    /** The namespace the control plane runs in: its identity {@code ns/<namespace>/sa/signet}, CA Secret, Lease. */
    public String namespace() {
        return settings.namespace();
    }

    public InetSocketAddress grpcAddress() {
        return new InetSocketAddress(settings.address(), settings.grpcPort());
    }

    public String httpAddress() {
        return settings.httpAddress();
    }

    public int httpPort() {
        return settings.httpPort();
    }

    /** Workload certificate lifetimes: the default and the most a caller may ask for. */
    public IssuancePolicy issuance() {
        return new IssuancePolicy(settings.defaultTtl(), settings.maxTtl(), IssuancePolicy.DEFAULT.backdate());
    }

    public IssuanceLimiter.Limits issuanceLimits() {
        return new IssuanceLimiter.Limits(
                settings.issuance().ratePerIdentity(), settings.issuance().burstPerIdentity());
    }

    /** The admission webhook's port; 0 when there is none. */
    public int webhookPort() {
        return settings.injection().webhookPort();
    }

    public String webhookConfiguration() {
        return settings.injection().webhookConfiguration();
    }

    /** What the webhook injects: by default Signet's image of this version, dialling the in-cluster Service. */
    public InjectionSettings injection() {
        return new InjectionSettings(
                settings.injection().image().orElseGet(InjectionSettings::defaultImage),
                settings.injection().controlPlane().orElse("signet." + namespace() + ".svc:" + settings.grpcPort()),
                tokenAudience());
    }

    public String tokenAudience() {
        return settings.tokenAudience();
    }

    /** How Istio's CA API is served. */
    public IstioCaSettings istio() {
        ServeSettings.Istio istio = settings.istio();
        return new IstioCaSettings(
                istio.audience(),
                IstioCaSettings.parseNames(istio.serverNames()),
                istio.rotationTtl(),
                istio.rootCertConfigMap());
    }

    public Duration servingCertificateTtl() {
        return SERVING_TTL;
    }

    /**
     * The names on the serving certificate: loopback, the in-cluster Service's names, and those Istio's agents
     * expect of their CA.
     */
    public List<String> servingDnsNames() {
        String namespace = namespace();
        List<String> names = new java.util.ArrayList<>(
                List.of("localhost", "signet." + namespace + ".svc", "signet." + namespace + ".svc.cluster.local"));
        istio().serverNames().stream().filter(name -> !names.contains(name)).forEach(names::add);
        return List.copyOf(names);
    }

    public List<String> servingIpAddresses() {
        return List.of("127.0.0.1");
    }

    public Optional<Path> standaloneDirectory() {
        return settings.standalone();
    }

    public Optional<Path> kubeconfig() {
        return settings.kubeconfig();
    }

    /** The namespace whose selector-less policies apply mesh-wide. */
    public String rootNamespace() {
        return settings.rootNamespace();
    }

    public Duration debounce() {
        return settings.xdsDebounce();
    }

    public Duration pollInterval() {
        return settings.pollInterval();
    }

    public RotationSettings rotation() {
        ServeSettings.Rotation r = settings.rotation();
        return new RotationSettings(r.settle(), r.tick(), r.issuanceRate(), r.minSpread());
    }

    /** Whether log records are written as JSON lines (else as text). */
    public boolean jsonLogs() {
        String format = settings.logFormat();
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("signet.log-format = \"" + format + "\": use text or json");
        }
        return format.equals("json");
    }

    /** The least severe level logged, as Quarkus names it. */
    public String logLevel() {
        String level = settings.logLevel().toUpperCase(java.util.Locale.ROOT);
        if (!java.util.List.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL")
                .contains(level)) {
            throw new IllegalArgumentException(
                    "signet.log-level = \"" + settings.logLevel() + "\": use ERROR, WARN, INFO, DEBUG or TRACE");
        }
        return level;
    }

    /** How long a RootRotation's gate may hold one phase before its resource says Stalled. */
    public Duration rotationStalledAfter() {
        Duration after = settings.rotation().stalledAfter();
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException(
                    "--rotation-stalled-after must be positive, not " + HumanDuration.format(after));
        }
        return after;
    }

    /** How long each JWT-SVID lives. */
    public Duration jwtSvidTtl() {
        Duration ttl = settings.jwtSvidTtl();
        if (ttl.compareTo(Duration.ofSeconds(30)) < 0 || ttl.compareTo(JwtSvidIssuer.MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                    "--jwt-svid-ttl must be between 30s and 1h, not " + HumanDuration.format(ttl));
        }
        return ttl;
    }

    /** When the root counts as ageing (a warning, the metric, a condition). */
    public ExpiryMargin rootExpiryMargin() {
        return ExpiryMargin.parse(settings.rootExpiryMargin());
    }

    /** Whether a rotation starts by itself once the root is ageing. */
    public boolean autoRotate() {
        return settings.autoRotate();
    }

    @Override
    public String toString() {
        return "ControlPlaneConfig" + new TreeMap<>(given);
    }
}
