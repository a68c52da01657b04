package dev.signet.controlplane.state;

import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.inventory.IssuedLeaf;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the leaf inventory small: forgets expired leaves (a minute's work, once a minute) and rewrites the journal
 * when superseded and expired lines make up most of it.
 */
public final class InventoryUpkeep {

    private static final Logger LOG = Logger.getLogger(InventoryUpkeep.class.getName());

    private final CertificateAuthority ca;
    private final InventoryJournal journal;
    private final Clock clock;

    public InventoryUpkeep(CertificateAuthority ca, InventoryJournal journal, Clock clock) {
        this.ca = ca;
        this.journal = journal;
        this.clock = clock;
    }

    public void run() {
        ca.forgetExpired(clock.instant());
        List<IssuedLeaf> kept = ca.leaves().unreplaced();
        if (journal.mostlyStale(kept.size())) {
            try {
                journal.rewrite(kept);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "compacting the leaf inventory journal failed", e);
            }
        }
    }
}
