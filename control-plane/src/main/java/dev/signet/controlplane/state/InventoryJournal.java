package dev.signet.controlplane.state;

import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.inventory.LeafInventory;
import dev.signet.ca.jwt.JwtSvidLedger;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.store.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The leaf inventory on disk, so that a control plane restarted in the middle of a root rotation still knows which
 * leaves under the old root are in use: the ACTIVATE gate must not open on an inventory a restart emptied.
 *
 * <p>An append-only file of one line per change ({@code I serial id root notAfter} when issued, {@code S serial id}
 * when superseded, {@code J root until} when JWT-SVIDs signed under a root are valid until later than before),
 * replayed and rewritten without expired leaves on open. A line that cannot be parsed (a write
 * torn by a crash) is skipped and counted, never fatal: the leaf it described is at worst forgotten, as it would be
 * without the journal.
 *
 * <p>Every line reaches the operating system before the issuance answers, so a killed process loses nothing. Lines
 * are flushed to the disk in groups, by {@link #sync()} every {@link #SYNC_EVERY}, rather than one by one (a sync per
 * certificate would cap issuance at the disk's sync rate): a power loss forgets at most about that last moment's
 * leaves. A sync waits for the disk without holding the journal, so issuance (which may run on a connection's event
 * loop) never waits for the disk.
 */
public final class InventoryJournal implements LeafInventory.Listener, JwtSvidLedger.Listener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InventoryJournal.class.getName());

    /** About the longest a journal line waits to be flushed to the disk. */
    public static final java.time.Duration SYNC_EVERY = java.time.Duration.ofMillis(200);

    private final Path file;
    private final JwtSvidLedger jwtSvids = new JwtSvidLedger();
    private java.nio.channels.FileChannel out;
    private long lines;
    private boolean dirty;

    private InventoryJournal(Path file) {
        this.file = file;
    }

    /**
     * Reads {@code file} into {@code inventory}, keeps only what has not expired at {@code now}, and goes on appending. The
     * inventory must have been built with this journal as its listener, which {@code open} supplies.
     */
    public static Opened open(Path file, Instant now) throws IOException {
        InventoryJournal journal = new InventoryJournal(file);
        LeafInventory inventory = new LeafInventory(journal);
        int skipped = journal.replay(inventory, now);
        if (skipped > 0) {
            LOG.warning(() -> file + ": skipped " + skipped + " unreadable lines (a write cut short?)");
        }
        journal.jwtSvids.listener(journal);
        journal.rewrite(inventory.unreplaced());
        return new Opened(inventory, journal.jwtSvids, journal);
    }

    /** The inventory and JWT-SVID ledger as the journal left them, and the journal that now keeps them. */
    public record Opened(LeafInventory inventory, JwtSvidLedger jwtSvids, InventoryJournal journal) {}

    private int replay(LeafInventory inventory, Instant now) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        Map<BigInteger, IssuedLeaf> leaves = new LinkedHashMap<>();
        int skipped = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            try {
                if (fields[0].equals("I") && fields.length == 5) {
                    BigInteger serial = new BigInteger(fields[1], 16);
                    leaves.put(
                            serial,
                            new IssuedLeaf(
                                    serial,
                                    SpiffeId.parse(fields[2]),
                                    fields[3],
                                    Instant.ofEpochMilli(Long.parseLong(fields[4]))));
                } else if (fields[0].equals("S") && fields.length == 3) {
                    BigInteger serial = new BigInteger(fields[1], 16);
                    IssuedLeaf leaf = leaves.get(serial);
                    if (leaf != null && leaf.id().uri().equals(fields[2])) {
                        leaves.put(
                                serial, new IssuedLeaf(serial, leaf.id(), leaf.authorityId(), leaf.notAfter(), true));
                    }
                } else if (fields[0].equals("J") && fields.length == 3) {
                    Instant until = Instant.ofEpochMilli(Long.parseLong(fields[2]));
                    if (until.isAfter(now)) {
                        jwtSvids.restore(fields[1], until);
                    }
                } else if (!line.isBlank()) {
                    skipped++;
                }
            } catch (RuntimeException e) {
                skipped++;
            }
        }
        leaves.values().stream().filter(leaf -> leaf.isLiveAt(now)).forEach(inventory::restore);
        return skipped;
    }

    /**
     * Rewrites the file with just {@code kept}, the leaves neither expired nor superseded (a superseded leaf is out of
     * use; forgetting it at a restart loses nothing): done on open, and when stale lines make up most of it, so that
     * renewals in a loop cannot grow it without bound.
     */
    public synchronized void rewrite(List<IssuedLeaf> kept) throws IOException {
        if (out != null) {
            out.close();
        }
        StringBuilder text = new StringBuilder();
        for (IssuedLeaf leaf : kept) {
            text.append(issuedLine(leaf));
            if (leaf.superseded()) {
                text.append(supersededLine(leaf));
            }
        }
        jwtSvids.validAt(Instant.EPOCH).forEach((authority, until) -> text.append(jwtLine(authority, until)));
        AtomicFiles.write(file, text.toString(), false);
        lines = kept.size();
        out = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        dirty = false;
    }

    /** Lines written since the last rewrite, against the leaves kept: when to rewrite. */
    public synchronized boolean mostlyStale(int leavesKept) {
        return lines > 1000 && lines > 2L * leavesKept;
    }

    @Override
    public void recorded(IssuedLeaf leaf) {
        append(issuedLine(leaf));
    }

    @Override
    public void superseded(IssuedLeaf leaf) {
        append(supersededLine(leaf));
    }

    private synchronized void append(String line) {
        try {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            lines++;
            dirty = true;
        } catch (IOException e) {
            // The issuance fails with it: a leaf the journal does not hold would be forgotten by a restart
            // mid-rotation.
            throw new UncheckedIOException("cannot append to the leaf inventory " + file, e);
        }
    }

    @Override
    public void advanced(String authorityId, Instant until) {
        append(jwtLine(authorityId, until));
    }

    private static String jwtLine(String authorityId, Instant until) {
        return "J " + authorityId + " " + until.toEpochMilli() + "\n";
    }

    private static String issuedLine(IssuedLeaf leaf) {
        return "I " + leaf.serial().toString(16) + " " + leaf.id().uri() + " " + leaf.authorityId() + " "
                + leaf.notAfter().toEpochMilli() + "\n";
    }

    private static String supersededLine(IssuedLeaf leaf) {
        return "S " + leaf.serial().toString(16) + " " + leaf.id().uri() + "\n";
    }

    /** Flushes what was appended since the last flush to the disk; a failure is the disk's, and is logged. */
    public void sync() {
        java.nio.channels.FileChannel channel;
        synchronized (this) {
            if (!dirty || out == null) {
                return;
            }
            channel = out;
            dirty = false;
        }
        try {
            channel.force(false); // appends go on meanwhile; what they add is the next sync's
        } catch (java.nio.channels.ClosedChannelException e) {
            // Rewritten or closed meanwhile: the rewrite synced the file it wrote, and close syncs before closing.
        } catch (IOException e) {
            synchronized (this) {
                dirty = true;
            }
            LOG.warning(() -> "cannot flush the leaf inventory " + file + " to the disk: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            sync();
            out.close();
            out = null;
        }
    }
}
