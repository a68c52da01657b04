package dev.signet.controlplane.ca;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Certificates and JWT-SVIDs issued, and requests refused by reason: what the metrics endpoint exports. Thread-safe. */
public final class CaMetrics {

    private final LongAdder issued = new LongAdder();
    private final LongAdder issuedJwt = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

    void issued() {
        issued.increment();
    }

    void issuedJwt() {
        issuedJwt.increment();
    }

    void refused(String reason) {
        refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long issuedCount() {
        return issued.sum();
    }

    public long issuedJwtCount() {
        return issuedJwt.sum();
    }

    /** Refusals by reason label, sorted by label. */
    public Map<String, Long> refusedCounts() {
        Map<String, Long> counts = new TreeMap<>();
        refused.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }
}
