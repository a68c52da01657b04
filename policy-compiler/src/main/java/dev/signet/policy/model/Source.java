package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Where a request comes from. Fields are ANDed; the values of one field are ORed; not* fields must not match. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Source(List<String> principals, List<String> notPrincipals,
                     List<String> requestPrincipals, List<String> notRequestPrincipals,
                     List<String> namespaces, List<String> notNamespaces,
                     List<String> ipBlocks, List<String> notIpBlocks,
                     List<String> remoteIpBlocks, List<String> notRemoteIpBlocks,
                     List<String> serviceAccounts, List<String> notServiceAccounts) {
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

    public boolean isEmpty() {
        return principals.isEmpty() && notPrincipals.isEmpty() && requestPrincipals.isEmpty()
                && notRequestPrincipals.isEmpty() && namespaces.isEmpty() && notNamespaces.isEmpty()
                && ipBlocks.isEmpty() && notIpBlocks.isEmpty() && remoteIpBlocks.isEmpty()
                && notRemoteIpBlocks.isEmpty() && serviceAccounts.isEmpty() && notServiceAccounts.isEmpty();
    }
}
