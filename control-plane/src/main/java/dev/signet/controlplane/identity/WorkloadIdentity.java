package dev.signet.controlplane.identity;

import dev.signet.ca.CaException;
import dev.signet.ca.spiffe.SpiffeId;
import java.util.regex.Pattern;

/** A Kubernetes service account: the identity a credential proves and a certificate names. */
public record WorkloadIdentity(String namespace, String serviceAccount) {

    /** A namespace name: an RFC 1123 label. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A service account name: an RFC 1123 subdomain. */
    private static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * The names are Kubernetes names (a namespace an RFC 1123 label, a service account an RFC 1123 subdomain), as
     * the API server allows them: anything else could forge a SPIFFE path, as {@code evil/ns/shop} would give
     * {@code spiffe://td/ns/evil/ns/shop/sa/...}. Refused with a CaException.
     */
    public WorkloadIdentity {
        if (namespace == null || !LABEL.matcher(namespace).matches()) {
            throw new CaException(
                    CaException.Reason.INVALID_SPIFFE_ID,
                    "\"" + namespace + "\" is not a namespace name "
                            + "(lower-case letters, digits and '-', at most 63)");
        }
        if (serviceAccount == null
                || serviceAccount.length() > 253
                || !SUBDOMAIN.matcher(serviceAccount).matches()) {
            throw new CaException(
                    CaException.Reason.INVALID_SPIFFE_ID,
                    "\"" + serviceAccount + "\" is not a service "
                            + "account name (lower-case letters, digits, '-' and '.', at most 253)");
        }
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
