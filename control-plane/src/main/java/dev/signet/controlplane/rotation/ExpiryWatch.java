package dev.signet.controlplane.rotation;

import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.lifetime.ExpiryMargin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Watches the signing root for its expiry margin (default: the last third of its lifetime): past it, the root is
 * <em>ageing</em>, which is logged as a warning once a day and, when asked for, starts an automatic rotation. Each
 * check is cheap; the control plane runs it on its tick.
 */
public final class ExpiryWatch {

    private static final Logger LOG = Logger.getLogger(ExpiryWatch.class.getName());
    private static final Duration WARN_EVERY = Duration.ofDays(1);

    private final ExpiryMargin margin;
    private final boolean autoStart;
    private final Clock clock;
    private Instant lastWarning;

    public ExpiryWatch(ExpiryMargin margin, boolean autoStart, Clock clock) {
        this.margin = margin;
        this.autoStart = autoStart;
        this.clock = clock;
    }

    /** Whether {@code signer}'s root is within its margin now. */
    public boolean ageing(SigningAuthority signer) {
        return margin.reached(signer.root(), clock.instant());
    }

    /** Checks {@code signer}'s root; past the margin, warns and (if configured) starts a rotation. */
    public synchronized void check(SigningAuthority signer, Optional<RotationController> rotation) {
        Instant now = clock.instant();
        if (!margin.reached(signer.root(), now)) {
            return;
        }
        if (lastWarning == null || !now.isBefore(lastWarning.plus(WARN_EVERY))) {
            lastWarning = now;
            LOG.warning(() -> "the root CA "
                    + signer.root().getSubjectX500Principal().getName() + " expires at "
                    + signer.root().getNotAfter().toInstant() + ", within its margin (" + margin + "); rotate it: "
                    + "signet rotate start" + (autoStart ? " (starting one now)" : ""));
        }
        if (!autoStart || rotation.isEmpty()) {
            return;
        }
        Optional<RootRotation> last = rotation.get().rotation();
        // After a rollback the admin decided to stay on this root for now; starting again would undo that decision.
        if (last.isEmpty() || last.get().complete() && !last.get().rollback()) {
            rotation.get().start(RotationRequest.generated(RotationMode.AUTOMATIC));
        }
    }
}
