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
            throw new IllegalArgumentException(
                    "an expiry margin is a fraction of the lifetime between 0 and 1, not " + fraction);
        }
        return new ExpiryMargin(fraction, null);
    }

    public static ExpiryMargin ofDuration(Duration margin) {
        if (margin.isNegative() || margin.isZero()) {
            throw new IllegalArgumentException("an expiry margin must be positive, not " + margin);
        }
        return new ExpiryMargin(0, margin);
    }

    /**
     * {@code 33%} (a share of the lifetime) or a duration such as {@code 30d}; {@code default} for a third.
     * Refused with a message naming both forms.
     */
    public static ExpiryMargin parse(String value) {
        String text = value.strip();
        if (text.equals("default")) {
            return DEFAULT;
        }
        if (text.endsWith("%")) {
            try {
                return ofFraction(Double.parseDouble(text.substring(0, text.length() - 1)) / 100);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expiry margin " + value + " is not a percentage such as 33%");
            }
        }
        try {
            return ofDuration(dev.signet.ca.HumanDuration.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "expiry margin " + value + " is neither a percentage (33%) nor a duration (30d)");
        }
    }

    /** The margin for {@code certificate}: the fixed duration, or its fraction of the certificate's lifetime. */
    public Duration of(X509Certificate certificate) {
        if (fixed != null) {
            return fixed;
        }
        Duration lifetime = Duration.between(
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
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
        return fixed != null
                ? dev.signet.ca.HumanDuration.format(fixed)
                : String.format(Locale.ROOT, "%.0f%% of the lifetime", fraction * 100);
    }
}
