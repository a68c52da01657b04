package dev.signet.ca.inventory;

import dev.signet.ca.spiffe.SpiffeId;
import java.math.BigInteger;
import java.time.Instant;

/** One issued leaf as the inventory remembers it. */
public record IssuedLeaf(BigInteger serial, SpiffeId id, String authorityId, Instant notAfter) {

    public boolean isLiveAt(Instant t) {
        return t.isBefore(notAfter);
    }
}
