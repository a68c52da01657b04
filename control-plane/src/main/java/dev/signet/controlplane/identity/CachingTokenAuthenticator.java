package dev.signet.controlplane.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers what a slow authenticator (a TokenReview, a round trip to the API server) decided about a token, so that
 * an agent's renewals and a restarted control plane's reconnecting agents do not ask again for every call.
 *
 * <p>What it keeps is bounded on every side: an identity no longer than {@code accepted} and never past the token's
 * own {@code exp}; a refusal only for {@code refused} (a token mended or re-issued is not held back long), and never
 * when the reviewer could not be asked (that says nothing about the token); at most {@code capacity} tokens, the
 * least recently used let go first. Tokens are kept as their SHA-256, never as themselves.
 */
public final class CachingTokenAuthenticator implements TokenAuthenticator {

    /** How long decisions are kept, and how many. */
    public record Settings(Duration accepted, Duration refused, int capacity) {
        /** A minute for an identity (as long as a deleted Pod's token may still pass), 5 s for a refusal. */
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(1), Duration.ofSeconds(5), 10_000);
        }
    }

    /** What was decided (an identity, or a refusal's reason and message), and until when it holds. */
    private record Decision(
            WorkloadIdentity identity, AuthenticationException.Reason reason, String message, Instant until) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenAuthenticator reviewer;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, Decision> decisions;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public CachingTokenAuthenticator(TokenAuthenticator reviewer, Clock clock, Settings settings) {
        this.reviewer = reviewer;
        this.clock = clock;
        this.settings = settings;
        this.decisions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Decision> eldest) {
                return size() > settings.capacity();
            }
        };
    }

    /**
     * At once for a token whose review is remembered and still fresh, or one the reviewer refuses by its own checks
     * (empty, too long); a token met for the first time waits for its review.
     */
    @Override
    public boolean answersAtOnce(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return reviewer.answersAtOnce(token);
        }
        return remembered(digest(token), clock.instant()) != null;
    }

    /** The decision kept for {@code key} while it is fresh at {@code now}; a stale one is let go. */
    private Decision remembered(String key, Instant now) {
        synchronized (decisions) {
            Decision known = decisions.get(key);
            if (known != null && !now.isBefore(known.until())) {
                decisions.remove(key);
                return null;
            }
            return known;
        }
    }

    @Override
    public WorkloadIdentity authenticate(String token) throws AuthenticationException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return reviewer.authenticate(token); // refused at once, by the reviewer's own checks
        }
        String key = digest(token);
        Instant now = clock.instant();
        Decision known = remembered(key, now);
        if (known != null) {
            hits.increment();
            if (known.identity() == null) {
                throw new AuthenticationException(known.reason(), known.message());
            }
            return known.identity();
        }
        misses.increment();
        Decision decided;
        try {
            WorkloadIdentity identity = reviewer.authenticate(token);
            Optional<Instant> expiry = expiry(token);
            if (expiry.isEmpty()) {
                return identity; // no exp to bound it by: not kept
            }
            Instant until = now.plus(settings.accepted());
            decided = new Decision(identity, null, null, until.isBefore(expiry.get()) ? until : expiry.get());
        } catch (AuthenticationException e) {
            if (e.reason() == AuthenticationException.Reason.REVIEW_UNAVAILABLE) {
                throw e;
            }
            decided = new Decision(null, e.reason(), e.getMessage(), now.plus(settings.refused()));
            remember(key, decided);
            throw e;
        }
        remember(key, decided);
        return decided.identity();
    }

    private void remember(String key, Decision decision) {
        if (decision.until().isAfter(clock.instant())) {
            synchronized (decisions) {
                decisions.put(key, decision);
            }
        }
    }

    /** Calls answered from what was kept, and calls that asked the reviewer. */
    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** The token's {@code exp}, read without checking anything: the reviewer has judged it; this only bounds the wait. */
    public static Optional<Instant> expiry(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode exp = claims.get("exp");
            return exp != null && exp.canConvertToLong()
                    ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
                    : Optional.empty();
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
