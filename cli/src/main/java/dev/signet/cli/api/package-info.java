/**
 * {@code signet api}: the SPIFFE Workload API seen from a workload, for an operator checking what a Pod's socket (a
 * Signet agent's, or SPIRE's) serves, the way SPIRE's {@code spire-agent api} commands do.
 */
package dev.signet.cli.api;
