/**
 * Signet's certificate authority as a library: it mints SPIFFE X509-SVIDs for identities that a caller
 * has already authenticated. It knows nothing of Kubernetes or gRPC; clocks and randomness are injected.
 *
 * <p>{@link dev.signet.ca.CertificateAuthority} is the entry point; every refusal is a
 * {@link dev.signet.ca.CaException} whose {@link dev.signet.ca.CaException.Reason} names the check that failed.
 */
package dev.signet.ca;
