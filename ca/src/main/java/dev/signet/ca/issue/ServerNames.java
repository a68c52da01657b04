package dev.signet.ca.issue;

import java.util.List;

/**
 * DNS names and IP addresses a serving certificate also carries, beside its one SPIFFE ID (the X509-SVID spec
 * allows other SAN types): what gRPC and TLS clients check when they verify a host name.
 */
public record ServerNames(List<String> dnsNames, List<String> ipAddresses) {

    public static final ServerNames NONE = new ServerNames(List.of(), List.of());

    public ServerNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }
}
