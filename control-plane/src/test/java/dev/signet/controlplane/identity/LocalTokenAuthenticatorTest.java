package dev.signet.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.ca.testing.MutableClock;
import dev.signet.controlplane.identity.AuthenticationException.Reason;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalTokenAuthenticatorTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final KeyPair key = newKey();
    private final LocalTokenIssuer issuer = new LocalTokenIssuer(key, clock);
    private final LocalTokenAuthenticator authenticator =
            new LocalTokenAuthenticator((ECPublicKey) key.getPublic(), "signet-ca", clock);
    private final WorkloadIdentity checkout = new WorkloadIdentity("shop", "checkout");

    @Test
    void a_fresh_token_proves_its_service_account() throws Exception {
        assertThat(authenticator.authenticate(issuer.issue(checkout, Duration.ofHours(1), "signet-ca")))
                .isEqualTo(checkout);
    }

    @Test
    void expiry_allows_thirty_seconds_of_skew_and_no_more() throws Exception {
        String token = issuer.issue(checkout, Duration.ofMinutes(10), "signet-ca");
        clock.advance(Duration.ofMinutes(10).plusSeconds(29));
        assertThat(authenticator.authenticate(token)).isEqualTo(checkout);
        clock.advance(Duration.ofSeconds(2));
        assertRefused(token, Reason.EXPIRED);
    }

    @Test
    void a_token_from_the_future_is_not_yet_valid() {
        MutableClock future = MutableClock.at("2026-11-23T11:00:00Z");
        assertRefused(
                new LocalTokenIssuer(key, future).issue(checkout, Duration.ofHours(1), "signet-ca"),
                Reason.NOT_YET_VALID);
    }

    @Test
    void another_issuer_or_a_user_subject_is_refused() throws Exception {
        assertRefused(sign(claims().issuer("https://kubernetes.default.svc").build()), Reason.WRONG_ISSUER);
        assertRefused(sign(claims().subject("alice").build()), Reason.NOT_A_SERVICE_ACCOUNT);
        assertRefused(sign(claims().subject("system:serviceaccount:shop").build()), Reason.NOT_A_SERVICE_ACCOUNT);
        assertRefused(
                sign(claims().subject("system:serviceaccount:shop:a/../b").build()), Reason.NOT_A_SERVICE_ACCOUNT);
        assertRefused(sign(claims().expirationTime(null).build()), Reason.EXPIRED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.b", "a.b.c", "eyJhbGciOiJFUzI1NiJ9..", "....."})
    void malformed_tokens_are_refused(String token) {
        assertThatThrownBy(() -> authenticator.authenticate(token)).isInstanceOf(AuthenticationException.class);
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(LocalTokenIssuer.ISSUER)
                .subject("system:serviceaccount:shop:checkout")
                .audience("signet-ca")
                .expirationTime(Date.from(Instant.parse("2026-11-23T11:00:00Z")));
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
        jwt.sign(new ECDSASigner((ECPrivateKey) key.getPrivate()));
        return jwt.serialize();
    }

    private void assertRefused(String token, Reason reason) {
        assertThatThrownBy(() -> authenticator.authenticate(token))
                .isInstanceOfSatisfying(
                        AuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
