/**
 * Istio's CA API ({@code istio.v1.auth.IstioCertificateService}) on the control plane's gRPC port, so that Istio's own
 * agents take their certificates, and Signet's gated root rotation, by pointing {@code CA_ADDR} at Signet; and what
 * the rotation gates learn of those agents, which never watch the trust bundle.
 */
package dev.signet.controlplane.istio;
