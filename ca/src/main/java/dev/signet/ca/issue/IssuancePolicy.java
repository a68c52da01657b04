package dev.signet.ca.issue;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.HumanDuration;
import java.time.Duration;
import java.util.Objects;

/**
 * How long leaves live: {@code defaultTtl} when the caller asks for none, requests above {@code maxTtl} refused
 * (never silently shortened: the caller would renew at the wrong time), and NotBefore moved back by
 * {@code backdate} so that peers whose clocks run a little slow accept a fresh certificate.
 */
public record IssuancePolicy(Duration defaultTtl, Duration maxTtl, Duration backdate) {

    public static final IssuancePolicy DEFAULT =
            new IssuancePolicy(Duration.ofHours(24), Duration.ofDays(7), Duration.ofMinutes(5));

    public IssuancePolicy {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(backdate, "backdate");
        if (defaultTtl.isNegative() || defaultTtl.isZero()) {
            throw new IllegalArgumentException("defaultTtl must be positive");
        }
        if (maxTtl.compareTo(defaultTtl) < 0) {
            throw new IllegalArgumentException("maxTtl (" + dev.signet.ca.HumanDuration.format(maxTtl)
                    + ") must not be below defaultTtl (" + dev.signet.ca.HumanDuration.format(defaultTtl) + ")");
        }
        if (backdate.isNegative()) {
            throw new IllegalArgumentException("backdate must not be negative");
        }
    }

    /** The TTL to issue for a request; {@code null} or zero means the default. */
    public Duration ttlFor(Duration requested) {
        if (requested == null || requested.isZero()) {
            return defaultTtl;
        }
        if (requested.isNegative()) {
            throw new CaException(
                    Reason.INVALID_TTL, "the requested TTL " + HumanDuration.format(requested) + " is negative");
        }
        if (requested.compareTo(maxTtl) > 0) {
            throw new CaException(
                    Reason.TTL_EXCEEDS_MAXIMUM,
                    "the requested TTL " + HumanDuration.format(requested) + " exceeds this CA's maximum of "
                            + HumanDuration.format(maxTtl));
        }
        return requested;
    }
}
