package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.controlplane.identity.AuthenticationException;
import dev.signet.controlplane.identity.AuthenticationException.Reason;
import dev.signet.controlplane.identity.CachingTokenAuthenticator;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.operator.kubernetes.TokenReviewAuthenticator;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kubernetes mode's authentication against a real API server, with tokens from the real kubectl. */
@RealCluster
class TokenReviewIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.bare();

    static Path dir;
    static KubeApiServer kube;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        dir = cluster.dir();
        kube = cluster.kube();
        client = cluster.closeAfter(kube.adminClient());
        assertThat(kube.kubectl("create", "namespace", "shop").exitCode()).isZero();
        assertThat(kube.kubectl("create", "serviceaccount", "checkout", "-n", "shop")
                        .exitCode())
                .isZero();
    }

    private static String token(String... extra) throws Exception {
        String[] args = new String[4 + extra.length];
        System.arraycopy(new String[] {"create", "token", "checkout", "-n"}, 0, args, 0, 4);
        System.arraycopy(extra, 0, args, 4, extra.length);
        args[4] = "shop";
        KubeApiServer.Kubectl.Result result = kube.kubectl(args);
        assertThat(result.exitCode()).as(result.out()).isZero();
        return result.out().trim();
    }

    @Test
    void a_service_account_token_for_signet_ca_proves_exactly_its_account() throws Exception {
        String token = token("shop", "--audience", "signet-ca");
        assertThat(new TokenReviewAuthenticator(client, "signet-ca").authenticate(token))
                .isEqualTo(new WorkloadIdentity("shop", "checkout"));
    }

    @Test
    void the_cache_keeps_the_api_servers_verdicts_within_the_real_tokens_expiry() throws Exception {
        String token = token("shop", "--audience", "signet-ca", "--duration", "10m");
        assertThat(CachingTokenAuthenticator.expiry(token))
                .as("the exp of a token the API server signed")
                .hasValueSatisfying(exp ->
                        assertThat(exp).isBetween(Instant.now(), Instant.now().plusSeconds(660)));
        CachingTokenAuthenticator cache = new CachingTokenAuthenticator(
                new TokenReviewAuthenticator(client, "signet-ca"),
                Clock.systemUTC(),
                CachingTokenAuthenticator.Settings.defaults());
        for (int i = 0; i < 3; i++) {
            assertThat(cache.authenticate(token)).isEqualTo(new WorkloadIdentity("shop", "checkout"));
        }
        String vault = token("shop", "--audience", "vault");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.authenticate(vault))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_AUDIENCE));
        }
        assertThat(cache.misses()).as("one TokenReview per token").isEqualTo(2);
        assertThat(cache.hits()).isEqualTo(3);
    }

    @Test
    void a_token_for_another_audience_is_refused() throws Exception {
        String token = token("shop", "--audience", "vault");
        assertRefused(token, Reason.WRONG_AUDIENCE);
    }

    @Test
    void a_users_token_is_refused() {
        assertThatThrownBy(() -> new TokenReviewAuthenticator(client, "signet-ca").authenticate(kube.adminToken()))
                .isInstanceOfSatisfying(
                        AuthenticationException.class,
                        e -> assertThat(e.reason())
                                .isIn(Reason.WRONG_AUDIENCE, Reason.NOT_A_SERVICE_ACCOUNT, Reason.REJECTED))
                .hasMessageContaining("rejected");
    }

    @Test
    void a_token_the_cluster_did_not_sign_and_garbage_are_refused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String foreign = new LocalTokenIssuer(generator.generateKeyPair(), Clock.systemUTC())
                .issue(new WorkloadIdentity("shop", "checkout"), Duration.ofMinutes(10), "signet-ca");
        assertRefused(foreign, Reason.REJECTED);
        assertRefused("not-a-token", Reason.REJECTED);
    }

    @Test
    void an_unreachable_api_server_fails_closed() throws Exception {
        try (KubernetesClient nowhere = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl("https://127.0.0.1:" + SignetProcess.freePort())
                        .withOauthToken("x")
                        .withTrustCerts(true)
                        .withRequestRetryBackoffLimit(0)
                        .withConnectionTimeout(2000)
                        .build())
                .build()) {
            assertThatThrownBy(() -> new TokenReviewAuthenticator(nowhere, "signet-ca")
                            .authenticate(token("shop", "--audience", "signet-ca")))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.REVIEW_UNAVAILABLE));
        }
    }

    private static void assertRefused(String token, Reason reason) {
        assertThatThrownBy(() -> new TokenReviewAuthenticator(client, "signet-ca").authenticate(token))
                .isInstanceOfSatisfying(
                        AuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
