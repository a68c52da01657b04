package dev.signet.controlplane.identity;

/** Turns a bearer token into the workload identity it proves (local JWTs, or Kubernetes TokenReview). */
public interface TokenAuthenticator {

    /** Tokens are small; a huge one is refused before it is parsed or sent anywhere. */
    int MAX_TOKEN_LENGTH = 8 * 1024;

    WorkloadIdentity authenticate(String token) throws AuthenticationException;
}
