/**
 * {@code signet inject}: adds the Signet agent to the pods a manifest describes, as a native sidecar with a projected
 * token, the trust bundle and a shared folder for the workload's certificate files, offline (for GitOps).
 */
package dev.signet.cli.inject;
