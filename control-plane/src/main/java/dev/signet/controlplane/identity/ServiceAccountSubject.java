package dev.signet.controlplane.identity;

import dev.signet.ca.CaException;

/** The Kubernetes user name of a service account, {@code system:serviceaccount:<namespace>:<name>}. */
public final class ServiceAccountSubject {

    private static final String PREFIX = "system:serviceaccount:";

    private ServiceAccountSubject() {}

    public static String of(WorkloadIdentity identity) {
        return PREFIX + identity.namespace() + ":" + identity.serviceAccount();
    }

    public static WorkloadIdentity parse(String subject) throws AuthenticationException {
        if (subject == null || !subject.startsWith(PREFIX)) {
            throw new AuthenticationException(
                    AuthenticationException.Reason.NOT_A_SERVICE_ACCOUNT,
                    "the token is not a service account's (subject \"" + subject + "\")");
        }
        String[] parts = subject.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new AuthenticationException(
                    AuthenticationException.Reason.NOT_A_SERVICE_ACCOUNT,
                    "malformed service account subject \"" + subject + "\"");
        }
        try {
            return new WorkloadIdentity(parts[0], parts[1]);
        } catch (CaException e) {
            throw new AuthenticationException(
                    AuthenticationException.Reason.NOT_A_SERVICE_ACCOUNT,
                    "the service account name cannot form a SPIFFE ID: " + e.getMessage());
        }
    }
}
