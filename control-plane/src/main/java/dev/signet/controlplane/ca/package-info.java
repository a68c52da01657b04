/**
 * The CA over gRPC: authenticate the caller (bearer token or current certificate), sign its CSR for the identity
 * that authentication decided, answer with the chain and the trust bundle, and count every outcome by reason.
 */
package dev.signet.controlplane.ca;
