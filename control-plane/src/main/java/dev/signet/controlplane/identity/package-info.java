/**
 * Who is calling: workload identities (namespace and service account) decided from credentials. Standalone mode
 * has its own token issuer; Kubernetes mode uses TokenReview; a current Signet certificate also authenticates
 * its holder for renewal.
 */
package dev.signet.controlplane.identity;
