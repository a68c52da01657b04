package dev.signet.ca.inventory;

import dev.signet.ca.spiffe.SpiffeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leaves a CA issued, as everyone but the CA sees them: read only. Only the
 * {@link dev.signet.ca.CertificateAuthority} changes the inventory behind it (it records what it signs, takes what a
 * renewal replaces and forgets what expired), so that "what is in use" has one author.
 */
public interface IssuedLeaves {

    /** Every leaf still remembered, superseded or not. */
    List<IssuedLeaf> all();

    /** The leaves not superseded (expired ones too, until forgotten): what a durable copy must keep. */
    List<IssuedLeaf> unreplaced();

    /**
     * Leaves in use at {@code t} that {@code authorityId} covers ({@link dev.signet.ca.authority.AuthorityIds#covers}):
     * given a root's fingerprint, every leaf signed under that root; given a cross-linked id, every leaf carrying a
     * cross-signed link of that root. Up to {@code limit} of them, soonest expiry first, and how many there are.
     */
    LeafInventory.Count inUseUnder(String authorityId, Instant t, int limit);

    /** Who holds the leaves {@link #inUseUnder} counts: whom to ask to renew. */
    Set<SpiffeId> holdersUnder(String authorityId, Instant t);

    /** Every leaf in use at {@code t}, by the authority it was filed under: what a replica tells the others. */
    Map<String, List<IssuedLeaf>> inUseByAuthority(Instant t);

    /** The serials known here to be out of use, each with the holder that gave it up. */
    Set<LeafInventory.Replacement> replacements();

    int size();
}
