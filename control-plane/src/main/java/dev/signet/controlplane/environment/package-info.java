/**
 * What differs between a control plane on a laptop and one in a cluster, one small interface per concern: where the
 * CA's material lives ({@link dev.signet.controlplane.environment.CaStore}), where the trust bundle is published
 * ({@link dev.signet.controlplane.environment.BundlePublisher}), who drives rotations
 * ({@link dev.signet.controlplane.environment.Leadership}), how far the bundle has reached
 * ({@link dev.signet.controlplane.environment.BundleCoverage}) and what other replicas observed
 * ({@link dev.signet.controlplane.environment.PeerReplicas}); with the token authenticator and the rotation store,
 * gathered in an {@link dev.signet.controlplane.environment.Environment}. Standalone implementations live in
 * {@code dev.signet.controlplane.state}, the Kubernetes ones in the operator.
 */
package dev.signet.controlplane.environment;
