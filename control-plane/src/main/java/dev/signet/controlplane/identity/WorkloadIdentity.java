package dev.signet.controlplane.identity;

import dev.signet.ca.spiffe.SpiffeId;

/** A Kubernetes service account: the identity a credential proves and a certificate names. */
public record WorkloadIdentity(String namespace, String serviceAccount) {

    /** The names become SPIFFE path segments, so they must be valid ones; refused with a CaException otherwise. */
    public WorkloadIdentity {
        SpiffeId.forServiceAccount("validation.invalid", namespace, serviceAccount);
    }

    public SpiffeId spiffeId(String trustDomain) {
        return SpiffeId.forServiceAccount(trustDomain, namespace, serviceAccount);
    }

    @Override
    public String toString() {
        return namespace + "/" + serviceAccount;
    }
}
