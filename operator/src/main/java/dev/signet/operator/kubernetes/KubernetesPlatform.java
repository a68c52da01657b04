package dev.signet.operator.kubernetes;

import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.controlplane.Platform;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.identity.TokenReviewAuthenticator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * In a cluster: the CA from a Secret, workload tokens checked by the API server (TokenReview), and the trust bundle
 * published by the leader's {@link TrustBundleReconciler} rather than written here.
 */
public final class KubernetesPlatform implements Platform {

    private final KubernetesClient client;
    private final String namespace;
    private final String audience;

    public KubernetesPlatform(KubernetesClient client, String namespace, String audience) {
        this.client = client;
        this.namespace = namespace;
        this.audience = audience;
    }

    @Override
    public CaDirectory.Contents loadOrCreateCa(String trustDomain, CryptoProviders providers, Clock clock,
                                               SecureRandom random) {
        return new CaSecret(client, namespace).loadOrCreate(trustDomain, providers, clock, random).load(providers);
    }

    @Override
    public TokenAuthenticator authenticator(CryptoProviders providers, Clock clock, SecureRandom random) {
        return new TokenReviewAuthenticator(client, audience);
    }

    @Override
    public void publishTrustBundle(TrustBundle bundle) {
        // Every namespace's signet-root-cert ConfigMap is written by the leader, from the control plane's bundle.
    }
}
