package dev.signet.ca.authority;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an authority stands in a root rotation. PREPARED: in the bundle, not signing. ACTIVE: signing.
 * RETIRING: in the bundle (its leaves still live), not signing. RETIRED: gone, terminal.
 */
public enum AuthorityPhase {
    PREPARED,
    ACTIVE,
    RETIRING,
    RETIRED;

    /** Whether peers must trust this authority's root. */
    public boolean inBundle() {
        return this != RETIRED;
    }

    public boolean signs() {
        return this == ACTIVE;
    }

    /**
     * The legal next phases. PREPARED may be abandoned straight to RETIRED (a rotation rolled back before it
     * signed anything); RETIRING may return to ACTIVE (a rollback), because its leaves are still trusted.
     */
    public Set<AuthorityPhase> successors() {
        return switch (this) {
            case PREPARED -> EnumSet.of(ACTIVE, RETIRED);
            case ACTIVE -> EnumSet.of(RETIRING);
            case RETIRING -> EnumSet.of(ACTIVE, RETIRED);
            case RETIRED -> EnumSet.noneOf(AuthorityPhase.class);
        };
    }

    public boolean canMoveTo(AuthorityPhase next) {
        return successors().contains(next);
    }
}
