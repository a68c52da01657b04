package dev.signet.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a TokenReview decided is kept no longer than it may be: the TTLs, the token's exp, the capacity. */
class CachingTokenAuthenticatorTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    /** The reviewer: what it says of each token, and every token it was asked about. */
    private final Map<String, Object> verdicts = new HashMap<>();

    private final List<String> asked = new ArrayList<>();
    private final TokenAuthenticator reviewer = token -> {
        asked.add(token);
        Object verdict = verdicts.get(token);
        if (verdict instanceof AuthenticationException refusal) {
            throw new AuthenticationException(refusal.reason(), refusal.getMessage());
        }
        if (verdict == null) {
            throw new AuthenticationException(AuthenticationException.Reason.REJECTED, "unknown");
        }
        return (WorkloadIdentity) verdict;
    };

    private final CachingTokenAuthenticator cache = new CachingTokenAuthenticator(
            reviewer, clock, new CachingTokenAuthenticator.Settings(Duration.ofMinutes(1), Duration.ofSeconds(5), 2));

    private static String token(String name, Instant exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims = exp == null
                ? "{\"sub\":\"" + name + "\"}"
                : "{\"sub\":\"" + name + "\",\"exp\":" + exp.getEpochSecond() + "}";
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    private String accepted(String name, Instant exp) {
        String token = token(name, exp);
        verdicts.put(token, new WorkloadIdentity("shop", name));
        return token;
    }

    @Test
    void an_identity_is_kept_for_its_ttl_then_asked_again() throws Exception {
        String token = accepted("checkout", T0.plus(Duration.ofHours(1)));
        assertThat(cache.authenticate(token)).isEqualTo(new WorkloadIdentity("shop", "checkout"));
        clock.set(T0.plusSeconds(59));
        assertThat(cache.authenticate(token).serviceAccount()).isEqualTo("checkout");
        assertThat(asked).hasSize(1);
        clock.set(T0.plusSeconds(60));
        cache.authenticate(token);
        assertThat(asked).hasSize(2);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(2);
    }

    @Test
    void answers_at_once_only_what_it_remembers_so_a_first_review_keeps_off_the_event_loop() throws Exception {
        String token = accepted("checkout", T0.plus(Duration.ofHours(1)));
        String refused = token("stranger", T0.plus(Duration.ofHours(1)));
        assertThat(cache.answersAtOnce(token)).as("never reviewed").isFalse();
        assertThat(cache.answersAtOnce(refused)).isFalse();

        cache.authenticate(token);
        assertThatThrownBy(() -> cache.authenticate(refused)).isInstanceOf(AuthenticationException.class);
        assertThat(cache.answersAtOnce(token)).as("accepted and remembered").isTrue();
        assertThat(cache.answersAtOnce(refused)).as("refused and remembered").isTrue();
        assertThat(asked).as("asking never reviews").hasSize(2);

        clock.set(T0.plusSeconds(5));
        assertThat(cache.answersAtOnce(refused)).as("a refusal is kept 5 s").isFalse();
        clock.set(T0.plusSeconds(60));
        assertThat(cache.answersAtOnce(token))
                .as("an acceptance is kept a minute")
                .isFalse();
        assertThat(cache.answersAtOnce(""))
                .as("refused by the reviewer's own checks: the reviewer decides")
                .isFalse();
    }

    @Test
    void a_review_that_could_not_be_made_is_not_answered_at_once_next_time() throws Exception {
        String token = token("checkout", T0.plus(Duration.ofHours(1)));
        verdicts.put(
                token,
                new AuthenticationException(AuthenticationException.Reason.REVIEW_UNAVAILABLE, "API server down"));
        assertThatThrownBy(() -> cache.authenticate(token)).isInstanceOf(AuthenticationException.class);
        assertThat(cache.answersAtOnce(token)).isFalse();
    }

    @Test
    void never_past_the_tokens_own_expiry() throws Exception {
        String token = accepted("checkout", T0.plusSeconds(10));
        cache.authenticate(token);
        clock.set(T0.plusSeconds(10));
        verdicts.put(token, new AuthenticationException(AuthenticationException.Reason.EXPIRED, "expired"));
        assertThatThrownBy(() -> cache.authenticate(token))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("expired");
        assertThat(asked).hasSize(2);
    }

    @Test
    void a_token_without_expiry_is_never_kept() throws Exception {
        String token = accepted("legacy", null);
        cache.authenticate(token);
        cache.authenticate(token);
        assertThat(asked).hasSize(2);
    }

    @Test
    void a_refusal_is_kept_briefly_and_an_unavailable_reviewer_not_at_all() throws Exception {
        String forged = token("forged", T0.plus(Duration.ofHours(1)));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.authenticate(forged))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.REJECTED));
        }
        assertThat(asked).hasSize(1);
        clock.set(T0.plusSeconds(5));
        verdicts.put(forged, new WorkloadIdentity("shop", "mended"));
        assertThat(cache.authenticate(forged).serviceAccount())
                .as("asked again after 5 s")
                .isEqualTo("mended");

        String later = token("later", T0.plus(Duration.ofHours(1)));
        verdicts.put(later, new AuthenticationException(AuthenticationException.Reason.REVIEW_UNAVAILABLE, "down"));
        assertThatThrownBy(() -> cache.authenticate(later)).isInstanceOf(AuthenticationException.class);
        verdicts.put(later, new WorkloadIdentity("shop", "later"));
        assertThat(cache.authenticate(later).serviceAccount())
                .as("the API server's outage said nothing about the token")
                .isEqualTo("later");
    }

    @Test
    void the_least_recently_used_token_is_let_go_beyond_capacity() throws Exception {
        Instant exp = T0.plus(Duration.ofHours(1));
        String a = accepted("a", exp);
        String b = accepted("b", exp);
        String c = accepted("c", exp);
        cache.authenticate(a);
        cache.authenticate(b);
        cache.authenticate(a); // a is now the most recent
        cache.authenticate(c); // b goes
        asked.clear();
        cache.authenticate(a);
        cache.authenticate(c);
        assertThat(asked).isEmpty();
        cache.authenticate(b);
        assertThat(asked).containsExactly(b);
    }

    @Test
    void the_expiry_is_read_from_the_claims_or_not_at_all() {
        assertThat(CachingTokenAuthenticator.expiry(token("x", T0))).contains(T0);
        assertThat(CachingTokenAuthenticator.expiry("not.a-jwt")).isEmpty();
        assertThat(CachingTokenAuthenticator.expiry("a.%%%.c")).isEmpty();
        assertThat(CachingTokenAuthenticator.expiry(token("x", null))).isEmpty();
    }
}
