/**
 * The SPIFFE Workload API on the agent's Unix socket: the workload's X509-SVID, key and bundle for go-spiffe,
 * java-spiffe, SPIRE's CLI and any other client of the standard, pushed again on every renewal and bundle change.
 */
package dev.signet.agent.workload;
