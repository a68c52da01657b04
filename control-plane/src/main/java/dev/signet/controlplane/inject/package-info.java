/**
 * Adding the agent to a pod: one injector shared by the admission webhook (pods as they are created) and
 * {@code signet inject} (manifests, for GitOps), so both give a pod the same sidecar.
 */
package dev.signet.controlplane.inject;
