package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Where a request comes from. Fields are ANDed; the values of one field are ORed; not* fields must not match. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Source(
        @JsonPropertyDescription("Peer identities from mutual TLS, as <trust-domain>/ns/<namespace>/sa/<account>; "
                + "one leading or trailing * allowed.")
        List<String> principals,

        @JsonPropertyDescription("Peer identities that must not match.")
        List<String> notPrincipals,

        @JsonPropertyDescription("Request identities (<iss>/<sub> of a validated JWT).")
        List<String> requestPrincipals,

        @JsonPropertyDescription("Request identities that must not match.")
        List<String> notRequestPrincipals,

        @JsonPropertyDescription("Namespaces of the peer's identity.")
        List<String> namespaces,

        @JsonPropertyDescription("Namespaces that must not match.")
        List<String> notNamespaces,

        @JsonPropertyDescription("Source IP addresses or CIDR blocks.")
        List<String> ipBlocks,

        @JsonPropertyDescription("Source IP blocks that must not match.")
        List<String> notIpBlocks,

        @JsonPropertyDescription("Original client IP blocks (from X-Forwarded-For or the PROXY protocol).")
        List<String> remoteIpBlocks,

        @JsonPropertyDescription("Original client IP blocks that must not match.")
        List<String> notRemoteIpBlocks,

        @JsonPropertyDescription("Service accounts of the peer, as <namespace>/<account>.")
        @io.fabric8.generator.annotation.Size(max = 16)
        List<String> serviceAccounts,

        @JsonPropertyDescription("Service accounts that must not match.")
        @io.fabric8.generator.annotation.Size(max = 16)
        List<String> notServiceAccounts) {
    public Source {
        principals = Lists.of(principals);
        notPrincipals = Lists.of(notPrincipals);
        requestPrincipals = Lists.of(requestPrincipals);
        notRequestPrincipals = Lists.of(notRequestPrincipals);
        namespaces = Lists.of(namespaces);
        notNamespaces = Lists.of(notNamespaces);
        ipBlocks = Lists.of(ipBlocks);
        notIpBlocks = Lists.of(notIpBlocks);
        remoteIpBlocks = Lists.of(remoteIpBlocks);
        notRemoteIpBlocks = Lists.of(notRemoteIpBlocks);
        serviceAccounts = Lists.of(serviceAccounts);
        notServiceAccounts = Lists.of(notServiceAccounts);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return principals.isEmpty()
                && notPrincipals.isEmpty()
                && requestPrincipals.isEmpty()
                && notRequestPrincipals.isEmpty()
                && namespaces.isEmpty()
                && notNamespaces.isEmpty()
                && ipBlocks.isEmpty()
                && notIpBlocks.isEmpty()
                && remoteIpBlocks.isEmpty()
                && notRemoteIpBlocks.isEmpty()
                && serviceAccounts.isEmpty()
                && notServiceAccounts.isEmpty();
    }
}
