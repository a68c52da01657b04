package dev.signet.controlplane.identity;

/** Turns a bearer token into the workload identity it proves (local JWTs, or Kubernetes TokenReview). */
public interface TokenAuthenticator {

    WorkloadIdentity authenticate(String token) throws AuthenticationException;
}
