package dev.signet.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JWT-SVIDs the agent already has, by audience set, handed out again until half of their life is gone: a workload
 * that asks on every request must not make every request a CA call, and what it gets still has most of its life
 * left. The least recently used give way beyond {@link #CAPACITY}. Thread-safe.
 */
final class JwtSvidCache {

    static final int CAPACITY = 256;

    private record Entry(JwtToken token, Instant staleAt) {}

    private final Clock clock;
    private final Map<List<String>, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    JwtSvidCache(Clock clock) {
        this.clock = clock;
    }

    synchronized Optional<JwtToken> get(List<String> audience) {
        Entry entry = entries.get(audience);
        if (entry == null || !clock.instant().isBefore(entry.staleAt())) {
            return Optional.empty();
        }
        return Optional.of(entry.token());
    }

    /** Keeps {@code token}, received now, until half of what is left of its life has passed. */
    synchronized void put(List<String> audience, JwtToken token) {
        Instant now = clock.instant();
        Duration left = Duration.between(now, token.expiresAt());
        if (!left.isNegative()) {
            entries.put(audience, new Entry(token, now.plus(left.dividedBy(2))));
        }
    }

    /** Forgets everything: the identity changed. */
    synchronized void clear() {
        entries.clear();
    }
}
