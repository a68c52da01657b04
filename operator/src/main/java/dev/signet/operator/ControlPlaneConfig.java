package dev.signet.operator;

import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.operator.identity.LocalTokenIssuer;
import dev.signet.operator.server.ControlPlaneServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The control plane's settings; the defaults are what the README, the agent and the tests share: gRPC on 15012,
 * state in {@code .signet/}, trust domain {@code cluster.local}, namespace {@code signet-system}.
 */
public record ControlPlaneConfig(Path stateDirectory, String trustDomain, String namespace, InetSocketAddress grpcAddress,
                                 IssuancePolicy issuance, String tokenAudience, Duration servingCertificateTtl,
                                 List<String> servingDnsNames, List<String> servingIpAddresses) {

    public static ControlPlaneConfig defaults(Path stateDirectory) {
        return new ControlPlaneConfig(stateDirectory, "cluster.local", "signet-system",
                new InetSocketAddress("127.0.0.1", ControlPlaneServer.DEFAULT_PORT), IssuancePolicy.DEFAULT,
                LocalTokenIssuer.DEFAULT_AUDIENCE, Duration.ofHours(24),
                List.of("localhost", "signet.signet-system.svc"), List.of("127.0.0.1"));
    }

    public ControlPlaneConfig withGrpcAddress(InetSocketAddress address) {
        return new ControlPlaneConfig(stateDirectory, trustDomain, namespace, address, issuance, tokenAudience,
                servingCertificateTtl, servingDnsNames, servingIpAddresses);
    }
}
