package dev.signet.controlplane.rotation;

import java.time.Duration;

/**
 * How a rotation is paced.
 *
 * @param settle        how long a gate must stay open before the rotation goes on: a workload reads the files the
 *                      agent wrote only every {@code refresh_interval} (10 s in the agent's bootstrap), so a
 *                      confirmation is the file written, not yet the file read
 * @param tick          how often gates are judged
 * @param issuanceRate  the most renewals a second the control plane asks for when it activates a new root; the
 *                      requests are spread over {@code holders / rate} seconds (at least {@code minSpread})
 * @param minSpread     the shortest window renewal requests are spread over
 */
public record RotationSettings(Duration settle, Duration tick, double issuanceRate, Duration minSpread) {

    public RotationSettings {
        if (settle.isNegative() || tick.isNegative() || tick.isZero() || minSpread.isNegative()) {
            throw new IllegalArgumentException(
                    "rotation timings must be positive: settle " + dev.signet.ca.HumanDuration.format(settle)
                            + ", tick " + dev.signet.ca.HumanDuration.format(tick));
        }
        if (!(issuanceRate > 0)) {
            throw new IllegalArgumentException("the issuance rate cap must be positive, not " + issuanceRate);
        }
    }

    /** The window over which {@code holders} renewals are spread so that the rate stays under the cap. */
    public Duration spreadFor(long holders) {
        Duration needed = Duration.ofMillis((long) Math.ceil(holders * 1000 / issuanceRate));
        return needed.compareTo(minSpread) > 0 ? needed : minSpread;
    }
}
