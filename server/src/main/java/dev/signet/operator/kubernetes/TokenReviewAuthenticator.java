package dev.signet.operator.kubernetes;

import dev.signet.controlplane.identity.AuthenticationException;
import dev.signet.controlplane.identity.AuthenticationException.Reason;
import dev.signet.controlplane.identity.ServiceAccountSubject;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Locale;

/**
 * Kubernetes mode: the API server decides whether a projected service-account token is genuine, unexpired and
 * meant for this CA's audience (TokenReview). Only service accounts ({@code system:serviceaccount:<ns>:<sa>}) are
 * accepted, never users; the audience the API server confirms must be ours.
 */
public final class TokenReviewAuthenticator implements TokenAuthenticator {

    private final KubernetesClient client;
    private final String audience;

    public TokenReviewAuthenticator(KubernetesClient client, String audience) {
        this.client = client;
        this.audience = audience;
    }

    /** Only a token refused before it is sent (missing, too long); any other waits for the API server. */
    @Override
    public boolean answersAtOnce(String token) {
        return token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH;
    }

    @Override
    public WorkloadIdentity authenticate(String token) throws AuthenticationException {
        if (token == null || token.isEmpty()) {
            throw new AuthenticationException(Reason.MISSING, "no bearer token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationException(
                    Reason.TOO_LARGE, "the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        TokenReview review;
        try {
            review = client.authentication()
                    .v1()
                    .tokenReviews()
                    .create(new TokenReviewBuilder()
                            .withNewSpec()
                            .withToken(token)
                            .withAudiences(audience)
                            .endSpec()
                            .build());
        } catch (KubernetesClientException e) {
            // The API server could not be asked: refuse (fail closed) and say so, rather than guess.
            throw new AuthenticationException(Reason.REVIEW_UNAVAILABLE, "TokenReview failed: " + e.getMessage());
        }
        TokenReviewStatus status = review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
            String error = status == null || status.getError() == null ? "not authenticated" : status.getError();
            throw new AuthenticationException(reasonFor(error), "the API server rejected the token: " + error);
        }
        List<String> audiences = status.getAudiences();
        if (audiences != null && !audiences.isEmpty() && !audiences.contains(audience)) {
            throw new AuthenticationException(
                    Reason.WRONG_AUDIENCE, "the token is for audiences " + audiences + ", not \"" + audience + "\"");
        }
        String user = status.getUser() == null ? null : status.getUser().getUsername();
        return ServiceAccountSubject.parse(user);
    }

    private static Reason reasonFor(String error) {
        String lower = error.toLowerCase(Locale.ROOT);
        if (lower.contains("audience")) {
            return Reason.WRONG_AUDIENCE;
        }
        if (lower.contains("expired")) {
            return Reason.EXPIRED;
        }
        return Reason.REJECTED;
    }
}
