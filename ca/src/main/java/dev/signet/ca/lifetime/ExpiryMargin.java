package dev.signet.ca.lifetime;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * When a certificate has too little validity left: either a fixed duration, or a fraction of its own lifetime
 * (default a third, so a ten-year root warns with about three years and four months to go, a one-hour leaf with
 * twenty minutes). Rotation should start before this point, not after.
 */
public final class ExpiryMargin {

    public static final ExpiryMargin DEFAULT = ofFraction(1.0 / 3);

    private final double fraction;
    private final Duration fixed;

    private ExpiryMargin(double fraction, Duration fixed) {
        this.fraction = fraction;
        this.fixed = fixed;
    }

    public static ExpiryMargin ofFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("an expiry margin is a fraction of the lifetime between 0 and 1, not " + fraction);
        }
        return new ExpiryMargin(fraction, null);
    }

    public static ExpiryMargin ofDuration(Duration margin) {
        if (margin.isNegative() || margin.isZero()) {
            throw new IllegalArgumentException("an expiry margin must be positive, not " + margin);
        }
        return new ExpiryMargin(0, margin);
    }

    /** The margin for {@code certificate}: the fixed duration, or its fraction of the certificate's lifetime. */
    public Duration of(X509Certificate certificate) {
        if (fixed != null) {
            return fixed;
        }
        Duration lifetime = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        return Duration.ofMillis((long) (lifetime.toMillis() * fraction));
    }

    /** The validity left at {@code now}; negative once expired. */
    public static Duration remaining(X509Certificate certificate, Instant now) {
        return Duration.between(now, certificate.getNotAfter().toInstant());
    }

    /** Whether {@code certificate} has no more than its margin left at {@code now} (an expired one has none). */
    public boolean reached(X509Certificate certificate, Instant now) {
        return remaining(certificate, now).compareTo(of(certificate)) <= 0;
    }

    @Override
    public String toString() {
        return fixed != null ? fixed.toString() : String.format(Locale.ROOT, "%.0f%% of the lifetime", fraction * 100);
    }
}
