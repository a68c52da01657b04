/** The control plane's gRPC endpoint: TLS with a certificate from its own CA, optional client certificates. */
package dev.signet.controlplane.server;
