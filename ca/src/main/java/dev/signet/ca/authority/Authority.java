package dev.signet.ca.authority;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * An authority (a root and the signer under it) in a phase, with the time it entered each phase. Immutable: a
 * transition returns a new value, and an illegal one is refused.
 */
public final class Authority {

    private final SigningAuthority signer;
    private final AuthorityPhase phase;
    private final Map<AuthorityPhase, Instant> enteredAt;

    private Authority(SigningAuthority signer, AuthorityPhase phase, Map<AuthorityPhase, Instant> enteredAt) {
        this.signer = signer;
        this.phase = phase;
        this.enteredAt = Collections.unmodifiableMap(enteredAt);
    }

    /** A new authority enters as PREPARED: trusted first, signing only once activated. */
    public static Authority prepared(SigningAuthority signer, Clock clock) {
        Map<AuthorityPhase, Instant> entered = new EnumMap<>(AuthorityPhase.class);
        entered.put(AuthorityPhase.PREPARED, clock.instant());
        return new Authority(signer, AuthorityPhase.PREPARED, entered);
    }


    public Authority moveTo(AuthorityPhase next, Clock clock) {
        if (!phase.canMoveTo(next)) {
            throw new CaException(Reason.ILLEGAL_PHASE_TRANSITION, "authority " + id().substring(0, 16)
                    + " cannot move from " + phase + " to " + next + "; from " + phase + " it may move to "
                    + (phase.successors().isEmpty() ? "nothing (terminal)" : phase.successors()));
        }
        Map<AuthorityPhase, Instant> entered = new EnumMap<>(enteredAt);
        entered.put(next, clock.instant());
        return new Authority(signer, next, entered);
    }

    /** The root's SHA-256 fingerprint. */
    public String id() {
        return signer.rootFingerprint();
    }

    public SigningAuthority signer() {
        return signer;
    }

    public AuthorityPhase phase() {
        return phase;
    }

    /** When the authority last entered {@code p}, if it ever did. */
    public Optional<Instant> enteredAt(AuthorityPhase p) {
        return Optional.ofNullable(enteredAt.get(p));
    }

    public Map<AuthorityPhase, Instant> phaseTimes() {
        return enteredAt;
    }

    @Override
    public String toString() {
        return "Authority[" + id().substring(0, 16) + ", " + phase + "]";
    }
}
