/**
 * Compilation of a workload's policies into Envoy v3 xDS resources: one inbound listener per port, filter chains
 * per mTLS mode, RBAC filters in AUDIT, CUSTOM, DENY, ALLOW order. Output is deterministic: the same input gives
 * byte-identical resources.
 */
package dev.signet.policy.compile;
