package dev.signet.controlplane.environment;

import dev.signet.ca.bundle.TrustBundle;
import java.io.IOException;

/**
 * Makes the trust bundle available to workloads that start later: standalone, {@code root-cert.pem} in the state
 * directory; in a cluster, the {@code signet-root-cert} ConfigMap of every namespace. Connected agents get it over
 * their bundle watch instead.
 */
@FunctionalInterface
public interface BundlePublisher {

    void publish(TrustBundle bundle) throws IOException;
}
