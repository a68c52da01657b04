/**
 * The control plane's gRPC endpoint: TLS with a certificate from its own CA, optional client certificates, and bounds
 * on what a connection may hold, the handshakes in progress among them.
 */
package dev.signet.controlplane.server;
