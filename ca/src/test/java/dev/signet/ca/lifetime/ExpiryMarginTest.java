package dev.signet.ca.lifetime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ExpiryMarginTest {

    private static final Instant MINTED = Instant.parse("2026-01-01T00:00:00Z");

    private static X509Certificate root(Duration validity) {
        return new AuthorityMinter(CryptoProviders.detect(), Clock.fixed(MINTED, ZoneOffset.UTC), new SecureRandom())
                .newRoot("cluster.local", KeyType.EC_P256, validity)
                .certificate();
    }

    @Test
    void the_default_margin_is_a_third_of_the_lifetime() {
        X509Certificate root = root(Duration.ofDays(300));
        // NotBefore is backdated five minutes, so the lifetime is 300 days and 5 minutes.
        Duration margin = ExpiryMargin.DEFAULT.of(root);
        assertThat(margin).isBetween(Duration.ofDays(100), Duration.ofDays(100).plusMinutes(2));
        Instant notAfter = root.getNotAfter().toInstant();
        assertThat(ExpiryMargin.DEFAULT.reached(root, notAfter.minus(margin).minusSeconds(1)))
                .isFalse();
        assertThat(ExpiryMargin.DEFAULT.reached(root, notAfter.minus(margin))).isTrue();
        assertThat(ExpiryMargin.DEFAULT.reached(root, notAfter.plusSeconds(1)))
                .as("expired")
                .isTrue();
        assertThat(ExpiryMargin.remaining(root, notAfter.plusSeconds(1))).isNegative();
    }

    @Test
    void a_fixed_margin_ignores_the_lifetime() {
        X509Certificate root = root(Duration.ofDays(3650));
        ExpiryMargin thirtyDays = ExpiryMargin.ofDuration(Duration.ofDays(30));
        Instant notAfter = root.getNotAfter().toInstant();
        assertThat(thirtyDays.reached(root, notAfter.minus(Duration.ofDays(31))))
                .isFalse();
        assertThat(thirtyDays.reached(root, notAfter.minus(Duration.ofDays(29))))
                .isTrue();
    }

    @Test
    void nonsense_margins_are_refused() {
        assertThatThrownBy(() -> ExpiryMargin.ofFraction(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpiryMargin.ofFraction(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpiryMargin.ofDuration(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
