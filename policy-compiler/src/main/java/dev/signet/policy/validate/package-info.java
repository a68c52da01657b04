/**
 * Validation of policies and workloads, with Istio's rules and field paths in every error: one reusable piece,
 * used by {@code signet check}, the standalone control plane and the operator alike.
 */
package dev.signet.policy.validate;
