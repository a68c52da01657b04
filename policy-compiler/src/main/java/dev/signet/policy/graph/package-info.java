/**
 * Who may call whom: the mesh's allowed calls between its workloads, decided by the same evaluator as
 * {@code signet explain}, for pictures and tables a person reads at a glance.
 */
package dev.signet.policy.graph;
