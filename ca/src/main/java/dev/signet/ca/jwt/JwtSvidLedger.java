package dev.signet.ca.jwt;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Until when a JWT-SVID signed under each authority (a root's fingerprint) may still be valid. A bearer token cannot
 * be recalled or renewed early the way a leaf can, so a root rotation must not retire a root's JWT key from the bundle
 * while one is: this is what it waits on. Times are rounded up to {@link #STEP_SECONDS}, so the listener (a journal,
 * which makes the ledger survive a restart) hears of at most one change per authority per step, however many tokens
 * are minted. Thread-safe.
 */
public final class JwtSvidLedger {

    /** The granularity of what is recorded: a time is rounded up to the next multiple of this many seconds. */
    public static final long STEP_SECONDS = 30;

    /** Told before the ledger holds a later time; a failure it throws fails the issuance that caused it. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (authority, until) -> {};

        void advanced(String authorityId, Instant until);
    }

    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private volatile Listener listener = Listener.NONE;

    public void listener(Listener listener) {
        this.listener = listener;
    }

    /** A token signed under {@code authorityId} is valid until {@code expiresAt}. */
    public void record(String authorityId, Instant expiresAt) {
        Instant held = until.get(authorityId);
        if (held != null && !held.isBefore(expiresAt)) {
            return;
        }
        synchronized (this) {
            held = until.get(authorityId);
            if (held == null || held.isBefore(expiresAt)) {
                Instant rounded = roundUp(expiresAt);
                listener.advanced(authorityId, rounded);
                until.put(authorityId, rounded);
            }
        }
    }

    /** Takes up what a journal recorded before a restart. */
    public synchronized void restore(String authorityId, Instant validUntil) {
        until.merge(authorityId, validUntil, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The authorities with a JWT-SVID still valid at {@code now}, and until when; sorted by authority. */
    public Map<String, Instant> validAt(Instant now) {
        Map<String, Instant> valid = new TreeMap<>();
        until.forEach((authority, time) -> {
            if (time.isAfter(now)) {
                valid.put(authority, time);
            }
        });
        return valid;
    }

    private static Instant roundUp(Instant t) {
        long seconds = t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0);
        long steps = Math.floorDiv(seconds + STEP_SECONDS - 1, STEP_SECONDS);
        return Instant.ofEpochSecond(steps * STEP_SECONDS);
    }
}
