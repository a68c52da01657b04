package dev.signet.controlplane.rotation;

import dev.signet.ca.bundle.TrustBundle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Asks the holders of the leaves a phase replaces to renew, spread over the rate-capped window, and asks again those
 * that were not connected the first time (a restarted agent, a control plane restarted mid-phase) once that window
 * and the settle time have passed. Not thread-safe: {@link RotationController}'s lock guards it.
 */
final class RenewalPacing {

    /** The least time given to agents asked to renew before they are asked again: each renewal takes a round trip. */
    private static final Duration MIN_PATIENCE = Duration.ofSeconds(5);

    private final RotationController.Effects effects;
    private final RotationSettings settings;
    private final Clock clock;
    private Instant lastAsked;

    RenewalPacing(RotationController.Effects effects, RotationSettings settings, Clock clock) {
        this.effects = effects;
        this.settings = settings;
        this.clock = clock;
    }

    /** Asks now: the phase has just begun. {@code holders} leaves under {@code authorityId} are to be replaced. */
    void ask(String authorityId, TrustBundle bundle, long holders) {
        lastAsked = clock.instant();
        effects.requestRenewal(authorityId, bundle, settings.spreadFor(holders));
    }

    /** Asks again when leaves are still left and the last request's window is over. */
    void askAgainIfDue(String authorityId, TrustBundle bundle, long holders) {
        if (holders == 0) {
            return;
        }
        Instant now = clock.instant();
        Duration spread = settings.spreadFor(holders);
        Duration patience = spread.multipliedBy(2).plus(settings.settle());
        if (patience.compareTo(MIN_PATIENCE) < 0) {
            patience = MIN_PATIENCE;
        }
        if (lastAsked == null || lastAsked.plus(patience).isBefore(now)) {
            lastAsked = now;
            effects.requestRenewal(authorityId, bundle, spread);
        }
    }
}
