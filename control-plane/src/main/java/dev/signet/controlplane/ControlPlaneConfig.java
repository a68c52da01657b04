package dev.signet.controlplane;

import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.server.ControlPlaneServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import dev.signet.controlplane.xds.XdsServer;
import dev.signet.policy.select.MeshPolicies;

/**
 * The control plane's settings; the defaults are what the README, the agent and the tests share: gRPC on 15012,
 * state in {@code .signet/}, trust domain {@code cluster.local}, namespace {@code signet-system}.
 */
public record ControlPlaneConfig(Path stateDirectory, String trustDomain, String namespace, InetSocketAddress grpcAddress,
                                 IssuancePolicy issuance, String tokenAudience, Duration servingCertificateTtl,
                                 List<String> servingDnsNames, List<String> servingIpAddresses,
                                 Optional<Path> standaloneDirectory, String rootNamespace, Duration debounce,
                                 Duration pollInterval) {

    public static ControlPlaneConfig defaults(Path stateDirectory) {
        return new ControlPlaneConfig(stateDirectory, "cluster.local", "signet-system",
                new InetSocketAddress("127.0.0.1", ControlPlaneServer.DEFAULT_PORT), IssuancePolicy.DEFAULT,
                LocalTokenIssuer.DEFAULT_AUDIENCE, Duration.ofHours(24),
                List.of("localhost", "signet.signet-system.svc"), List.of("127.0.0.1"),
                Optional.empty(), MeshPolicies.DEFAULT_ROOT_NAMESPACE, XdsServer.DEFAULT_DEBOUNCE, Duration.ofMillis(500));
    }

    public ControlPlaneConfig withGrpcAddress(InetSocketAddress address) {
        return new ControlPlaneConfig(stateDirectory, trustDomain, namespace, address, issuance, tokenAudience,
                servingCertificateTtl, servingDnsNames, servingIpAddresses, standaloneDirectory, rootNamespace, debounce,
                pollInterval);
    }

    public ControlPlaneConfig withTrustDomain(String value) {
        return new ControlPlaneConfig(stateDirectory, value, namespace, grpcAddress, issuance, tokenAudience,
                servingCertificateTtl, servingDnsNames, servingIpAddresses, standaloneDirectory, rootNamespace, debounce,
                pollInterval);
    }

    /** Serve the policies and workloads of this folder, reloading it when it changes. */
    public ControlPlaneConfig withStandaloneDirectory(Path folder) {
        return new ControlPlaneConfig(stateDirectory, trustDomain, namespace, grpcAddress, issuance, tokenAudience,
                servingCertificateTtl, servingDnsNames, servingIpAddresses, Optional.of(folder), rootNamespace, debounce,
                pollInterval);
    }

    public ControlPlaneConfig withTiming(Duration debounceValue, Duration pollIntervalValue) {
        return new ControlPlaneConfig(stateDirectory, trustDomain, namespace, grpcAddress, issuance, tokenAudience,
                servingCertificateTtl, servingDnsNames, servingIpAddresses, standaloneDirectory, rootNamespace,
                debounceValue, pollIntervalValue);
    }

    /**
     * The namespace the control plane runs in (its identity {@code ns/<namespace>/sa/signet}, its CA Secret, its Lease),
     * with the matching in-cluster DNS names on its serving certificate.
     */
    public ControlPlaneConfig withNamespace(String value) {
        List<String> dnsNames = List.of("localhost", "signet." + value + ".svc", "signet." + value + ".svc.cluster.local");
        return new ControlPlaneConfig(stateDirectory, trustDomain, value, grpcAddress, issuance, tokenAudience,
                servingCertificateTtl, dnsNames, servingIpAddresses, standaloneDirectory, rootNamespace, debounce,
                pollInterval);
    }

    /** The audience workload tokens must carry (default {@code signet-ca}). */
    public ControlPlaneConfig withTokenAudience(String value) {
        return new ControlPlaneConfig(stateDirectory, trustDomain, namespace, grpcAddress, issuance, value,
                servingCertificateTtl, servingDnsNames, servingIpAddresses, standaloneDirectory, rootNamespace, debounce,
                pollInterval);
    }

    /** Workload certificate lifetimes: the default and the most a caller may ask for. */
    public ControlPlaneConfig withIssuance(IssuancePolicy value) {
        return new ControlPlaneConfig(stateDirectory, trustDomain, namespace, grpcAddress, value, tokenAudience,
                servingCertificateTtl, servingDnsNames, servingIpAddresses, standaloneDirectory, rootNamespace, debounce,
                pollInterval);
    }

    /** The namespace whose selector-less policies apply mesh-wide. */
    public ControlPlaneConfig withRootNamespace(String value) {
        return new ControlPlaneConfig(stateDirectory, trustDomain, namespace, grpcAddress, issuance, tokenAudience,
                servingCertificateTtl, servingDnsNames, servingIpAddresses, standaloneDirectory, value, debounce,
                pollInterval);
    }

    /** The gRPC port chosen by the system on loopback: for tests and demos that run several control planes. */
    public ControlPlaneConfig withEphemeralPorts() {
        return withGrpcAddress(new InetSocketAddress("127.0.0.1", 0));
    }
}
