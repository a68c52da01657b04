package dev.signet.ca.inventory;

import dev.signet.ca.spiffe.SpiffeId;
import java.math.BigInteger;
import java.time.Instant;

/**
 * One issued leaf as the inventory remembers it. A superseded leaf has been replaced by a newer one for the same
 * holder, who has said so; it may still be valid, but nothing serves with it any more.
 */
public record IssuedLeaf(BigInteger serial, SpiffeId id, String authorityId, Instant notAfter, boolean superseded) {

    public IssuedLeaf(BigInteger serial, SpiffeId id, String authorityId, Instant notAfter) {
        this(serial, id, authorityId, notAfter, false);
    }

    public boolean isLiveAt(Instant t) {
        return t.isBefore(notAfter);
    }

    /** Valid at {@code t} and still in use: what keeps its root from being retired. */
    public boolean isInUseAt(Instant t) {
        return !superseded && isLiveAt(t);
    }

    IssuedLeaf markedSuperseded() {
        return new IssuedLeaf(serial, id, authorityId, notAfter, true);
    }
}
