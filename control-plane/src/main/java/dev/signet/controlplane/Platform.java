package dev.signet.controlplane;

import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.replicas.OtherReplicas;
import dev.signet.controlplane.rotation.NamespaceCoverage;
import dev.signet.controlplane.rotation.RotationStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What differs between running on a laptop and in a cluster: where the CA's material lives, how a workload's token is
 * checked, and where the trust bundle is written. Everything else of the control plane is the same code.
 */
public interface Platform {

    /** The CA to sign with: loaded when it exists, created (once) otherwise. */
    CaDirectory.Contents loadOrCreateCa(String trustDomain, CryptoProviders providers, Clock clock, SecureRandom random)
            throws IOException;

    /** Checks the bearer tokens workloads present to the CA. */
    TokenAuthenticator authenticator(CryptoProviders providers, Clock clock, SecureRandom random) throws IOException;

    /** Makes the current trust bundle available to workloads that start later. */
    void publishTrustBundle(TrustBundle bundle) throws IOException;

    /** Where a root rotation's state is kept durably; empty where rotation is not available. */
    default Optional<RotationStore> rotationStore(Clock clock) {
        return Optional.empty();
    }

    /**
     * Whether this replica drives the rotation (records its phases); the others follow what it records. Alone on a
     * machine a control plane always drives; in a cluster the holder of the leader's Lease does.
     */
    default boolean leads() {
        return true;
    }

    /** Of the namespaces that must carry the trust bundle, how many carry {@code version} or later (none alone). */
    default NamespaceCoverage namespaceCoverage(long version) {
        return NamespaceCoverage.NONE;
    }

    /**
     * What the other replicas of the control plane reported, for the rotation's gates to count their agents and
     * leaves too; empty where this process is the only one.
     */
    default Optional<OtherReplicas> otherReplicas() {
        return Optional.empty();
    }

    /** The file that keeps the leaf inventory across restarts; empty to keep it in memory only. */
    default Optional<Path> inventoryJournal() {
        return Optional.empty();
    }
}
