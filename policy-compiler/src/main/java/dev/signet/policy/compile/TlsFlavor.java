package dev.signet.policy.compile;

/**
 * How TLS material is named in the output. ENVOY: SDS secrets fetched over ADS. GRPC: certificate-provider
 * instances from the gRPC bootstrap (proxyless clients); gRPC also gets non-forwarding routes and no AUDIT filter,
 * which it does not implement.
 */
public enum TlsFlavor {
    ENVOY,
    GRPC
}
