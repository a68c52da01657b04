package dev.signet.controlplane.environment;

import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.TokenAuthenticators;
import dev.signet.controlplane.rotation.RotationStore;
import java.util.Optional;

/**
 * Everything the control plane gets from where it runs, each concern behind its own interface: the CA's store, how
 * workload tokens are checked (and, standalone, issued), where policies and workloads come from, where the bundle is
 * published, where a rotation is recorded, who leads, how far the bundle reached and what other replicas observed.
 */
public record Environment(
        CaStore ca,
        TokenAuthenticators tokens,
        Optional<LocalTokenIssuer> tokenIssuer,
        MeshSource mesh,
        BundlePublisher bundles,
        RotationStore rotations,
        Leadership leadership,
        BundleCoverage coverage,
        PeerReplicas peers) {}
