/**
 * The workload agent: generates the key pair locally (it never leaves the workload), asks the CA for a certificate
 * with the workload's token, writes {@code cert-chain.pem}, {@code key.pem} and {@code root-cert.pem} atomically,
 * and renews at half the lifetime with jitter, backing off on errors and keeping the last good certificate.
 */
package dev.signet.agent;
