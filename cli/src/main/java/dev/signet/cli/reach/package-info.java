/**
 * How the CLI reaches running control planes: the one on this host (its loopback HTTP port and the admin credential
 * in its state directory), or every replica in a cluster (found by label, reached through the API server's
 * port-forward, the credential read from the Pod as {@code kubectl exec} would).
 */
package dev.signet.cli.reach;
