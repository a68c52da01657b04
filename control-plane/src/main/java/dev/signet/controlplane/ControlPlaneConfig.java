package dev.signet.controlplane;

import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.lifetime.ExpiryMargin;
import dev.signet.controlplane.ca.IssuanceLimiter;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.rotation.RotationSettings;
import dev.signet.controlplane.server.ControlPlaneServer;
import dev.signet.controlplane.xds.XdsServer;
import dev.signet.policy.select.MeshPolicies;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The control plane's settings; the defaults are what the README, the agent and the tests share: gRPC on 15012,
 * state in {@code .signet/}, trust domain {@code cluster.local}, namespace {@code signet-system}.
 */
public record ControlPlaneConfig(
        Path stateDirectory,
        String trustDomain,
        String namespace,
        InetSocketAddress grpcAddress,
        IssuancePolicy issuance,
        String tokenAudience,
        Duration servingCertificateTtl,
        List<String> servingDnsNames,
        List<String> servingIpAddresses,
        Optional<Path> standaloneDirectory,
        String rootNamespace,
        Duration debounce,
        Duration pollInterval,
        RotationSettings rotation,
        ExpiryMargin rootExpiryMargin,
        boolean autoRotate,
        IssuanceLimiter.Limits issuanceLimits) {

    private static final String DEFAULT_NAMESPACE = "signet-system";

    public static ControlPlaneConfig defaults(Path stateDirectory) {
        return new ControlPlaneConfig(
                stateDirectory,
                "cluster.local",
                DEFAULT_NAMESPACE,
                new InetSocketAddress("127.0.0.1", ControlPlaneServer.DEFAULT_PORT),
                IssuancePolicy.DEFAULT,
                LocalTokenIssuer.DEFAULT_AUDIENCE,
                Duration.ofHours(24),
                dnsNamesIn(DEFAULT_NAMESPACE),
                List.of("127.0.0.1"),
                Optional.empty(),
                MeshPolicies.DEFAULT_ROOT_NAMESPACE,
                XdsServer.DEFAULT_DEBOUNCE,
                Duration.ofMillis(500),
                RotationSettings.DEFAULT,
                ExpiryMargin.DEFAULT,
                false,
                IssuanceLimiter.Limits.DEFAULT);
    }

    public ControlPlaneConfig withGrpcAddress(InetSocketAddress address) {
        return with(copy -> copy.grpcAddress = address);
    }

    public ControlPlaneConfig withTrustDomain(String value) {
        return with(copy -> copy.trustDomain = value);
    }

    /** Serve the policies and workloads of this folder, reloading it when it changes. */
    public ControlPlaneConfig withStandaloneDirectory(Path folder) {
        return with(copy -> copy.standaloneDirectory = Optional.of(folder));
    }

    public ControlPlaneConfig withTiming(Duration debounceValue, Duration pollIntervalValue) {
        return with(copy -> {
            copy.debounce = debounceValue;
            copy.pollInterval = pollIntervalValue;
        });
    }

    /**
     * When the root counts as ageing (a warning, the metric, a condition) and whether a rotation then starts by
     * itself.
     */
    public ControlPlaneConfig withRootExpiry(ExpiryMargin margin, boolean autoRotateValue) {
        return with(copy -> {
            copy.rootExpiryMargin = margin;
            copy.autoRotate = autoRotateValue;
        });
    }

    /** How root rotations are paced: gate settle time, tick, the renewal-rate cap. */
    public ControlPlaneConfig withRotation(RotationSettings value) {
        return with(copy -> copy.rotation = value);
    }

    /**
     * The namespace the control plane runs in (its identity {@code ns/<namespace>/sa/signet}, its CA Secret, its Lease),
     * with the matching in-cluster DNS names on its serving certificate.
     */
    public ControlPlaneConfig withNamespace(String value) {
        return with(copy -> {
            copy.namespace = value;
            copy.servingDnsNames = dnsNamesIn(value);
        });
    }

    /** The audience workload tokens must carry (default {@code signet-ca}). */
    public ControlPlaneConfig withTokenAudience(String value) {
        return with(copy -> copy.tokenAudience = value);
    }

    /** Workload certificate lifetimes: the default and the most a caller may ask for. */
    public ControlPlaneConfig withIssuance(IssuancePolicy value) {
        return with(copy -> copy.issuance = value);
    }

    /** How many certificates one identity may be issued, at once and per second. */
    public ControlPlaneConfig withIssuanceLimits(IssuanceLimiter.Limits value) {
        return with(copy -> copy.issuanceLimits = value);
    }

    /** The namespace whose selector-less policies apply mesh-wide. */
    public ControlPlaneConfig withRootNamespace(String value) {
        return with(copy -> copy.rootNamespace = value);
    }

    /** The gRPC port chosen by the system on loopback: for tests and demos that run several control planes. */
    public ControlPlaneConfig withEphemeralPorts() {
        return withGrpcAddress(new InetSocketAddress("127.0.0.1", 0));
    }

    private static List<String> dnsNamesIn(String namespace) {
        return List.of("localhost", "signet." + namespace + ".svc", "signet." + namespace + ".svc.cluster.local");
    }

    /** One place that copies every component, so that each {@code with…} changes only what it names. */
    private ControlPlaneConfig with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    private static final class Copy {
        private final Path stateDirectory;
        private String trustDomain;
        private String namespace;
        private InetSocketAddress grpcAddress;
        private IssuancePolicy issuance;
        private String tokenAudience;
        private final Duration servingCertificateTtl;
        private List<String> servingDnsNames;
        private final List<String> servingIpAddresses;
        private Optional<Path> standaloneDirectory;
        private String rootNamespace;
        private Duration debounce;
        private Duration pollInterval;
        private RotationSettings rotation;
        private ExpiryMargin rootExpiryMargin;
        private boolean autoRotate;
        private IssuanceLimiter.Limits issuanceLimits;

        private Copy(ControlPlaneConfig from) {
            stateDirectory = from.stateDirectory;
            trustDomain = from.trustDomain;
            namespace = from.namespace;
            grpcAddress = from.grpcAddress;
            issuance = from.issuance;
            tokenAudience = from.tokenAudience;
            servingCertificateTtl = from.servingCertificateTtl;
            servingDnsNames = from.servingDnsNames;
            servingIpAddresses = from.servingIpAddresses;
            standaloneDirectory = from.standaloneDirectory;
            rootNamespace = from.rootNamespace;
            debounce = from.debounce;
            pollInterval = from.pollInterval;
            rotation = from.rotation;
            rootExpiryMargin = from.rootExpiryMargin;
            autoRotate = from.autoRotate;
            issuanceLimits = from.issuanceLimits;
        }

        private ControlPlaneConfig build() {
            return new ControlPlaneConfig(
                    stateDirectory,
                    trustDomain,
                    namespace,
                    grpcAddress,
                    issuance,
                    tokenAudience,
                    servingCertificateTtl,
                    servingDnsNames,
                    servingIpAddresses,
                    standaloneDirectory,
                    rootNamespace,
                    debounce,
                    pollInterval,
                    rotation,
                    rootExpiryMargin,
                    autoRotate,
                    issuanceLimits);
        }
    }
}
