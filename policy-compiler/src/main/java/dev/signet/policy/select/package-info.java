/**
 * Which policies apply to a workload: AuthorizationPolicies (root namespace mesh-wide, then the workload's
 * namespace, narrowed by selectors, ordered oldest first) and the effective PeerAuthentication mode per port.
 * Indexed by namespace and by label so that a workload's cost does not grow with every policy in the mesh.
 */
package dev.signet.policy.select;
