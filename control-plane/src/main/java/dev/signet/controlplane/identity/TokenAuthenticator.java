package dev.signet.controlplane.identity;

/** Turns a bearer token into the workload identity it proves (local JWTs, or Kubernetes TokenReview). */
public interface TokenAuthenticator {

    /** Tokens are small; a huge one is refused before it is parsed or sent anywhere. */
    int MAX_TOKEN_LENGTH = 8 * 1024;

    WorkloadIdentity authenticate(String token) throws AuthenticationException;

    /**
     * Whether {@link #authenticate} would answer for {@code token} without waiting on anything outside this process
     * (no TokenReview to make), so that its call may run on a connection's event loop. Quick, and never waits itself.
     */
    default boolean answersAtOnce(String token) {
        return false;
    }
}
