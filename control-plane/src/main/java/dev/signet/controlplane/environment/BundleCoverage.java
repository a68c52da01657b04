package dev.signet.controlplane.environment;

import dev.signet.controlplane.rotation.NamespaceCoverage;

/**
 * Of the namespaces that must carry the trust bundle, how many carry a given version or later: a rotation's bundle
 * gates wait for all of them. Standalone there are none.
 */
@FunctionalInterface
public interface BundleCoverage {

    BundleCoverage NONE = version -> NamespaceCoverage.NONE;

    NamespaceCoverage coverage(long version);
}
