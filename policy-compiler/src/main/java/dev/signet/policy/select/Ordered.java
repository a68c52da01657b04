package dev.signet.policy.select;

import dev.signet.policy.model.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

/**
 * A resource with its place in creation order: creationTimestamp when it has one (Kubernetes), else the order it
 * was loaded in (files), then namespace/name. "The oldest wins" means the smallest of these.
 */
public record Ordered<R extends Resource>(R resource, Instant created, long sequence)
        implements Comparable<Ordered<?>> {

    private static final Comparator<Ordered<?>> ORDER = Comparator.comparing((Ordered<?> o) -> o.created)
            .thenComparingLong(o -> o.sequence)
            .thenComparing(o -> o.resource.key());

    /** {@code resource} at place {@code sequence} of the order it was read in. */
    public static <R extends Resource> Ordered<R> of(R resource, long sequence) {
        String timestamp = resource.metadata().creationTimestamp();
        Instant created = Instant.MAX;
        if (timestamp != null) {
            try {
                created = Instant.parse(timestamp);
            } catch (DateTimeParseException e) {
                created = Instant.MAX;
            }
        }
        return new Ordered<>(resource, created, sequence);
    }

    public String key() {
        return resource.key();
    }

    @Override
    public int compareTo(Ordered<?> other) {
        return ORDER.compare(this, other);
    }
}
