/**
 * Support for gRPC-Java proxyless workloads: the xDS bootstrap's {@code tls} channel credentials with certificate,
 * key and CA files (gRFC A65), which the gRPC-Java release Signet tests with does not implement yet. Loaded by
 * gRPC through {@code ServiceLoader} when {@code grpc-xds} is on the class path.
 */
package dev.signet.agent.grpc;
