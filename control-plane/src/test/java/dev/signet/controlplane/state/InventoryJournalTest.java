package dev.signet.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.spiffe.SpiffeId;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryJournalTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final SpiffeId A = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/a");
    private static final SpiffeId B = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/b");

    @TempDir
    Path dir;

    @Test
    void a_reopened_journal_restores_issued_and_superseded_leaves_and_drops_expired_ones() throws Exception {
        Path file = dir.resolve("inventory.log");
        InventoryJournal.Opened first = InventoryJournal.open(file, T0);
        first.inventory().record(new IssuedLeaf(BigInteger.valueOf(0xa1), A, "r1", T0.plusSeconds(3600)));
        first.inventory().record(new IssuedLeaf(BigInteger.valueOf(0xb1), B, "r1", T0.plusSeconds(3600)));
        first.inventory().record(new IssuedLeaf(BigInteger.valueOf(0xa0), A, "r1", T0.plusSeconds(60)));
        assertThat(first.inventory().supersede(A, BigInteger.valueOf(0xa1))).isTrue();
        first.journal().close();

        InventoryJournal.Opened second = InventoryJournal.open(file, T0.plusSeconds(120));
        assertThat(second.inventory().inUseUnder("r1", T0.plusSeconds(120), 0).total())
                .as("only b1 in use")
                .isEqualTo(1);
        assertThat(second.inventory().size()).as("a0 expired and is dropped").isEqualTo(2);
        assertThat(Files.readAllLines(file))
                .as("rewritten compactly: superseded a1 is out of use, so it is not kept")
                .containsExactly(
                        "I b1 " + B.uri() + " r1 " + T0.plusSeconds(3600).toEpochMilli());
        second.inventory().record(new IssuedLeaf(BigInteger.valueOf(0xc1), A, "r2", T0.plusSeconds(7200)));
        second.journal().close();

        InventoryJournal.Opened third = InventoryJournal.open(file, T0.plusSeconds(130));
        assertThat(third.inventory().inUseUnder("r2", T0.plusSeconds(130), 0).total())
                .isEqualTo(1);
        assertThat(third.inventory().inUseUnder("r1", T0.plusSeconds(130), 0).total())
                .isEqualTo(1);
        assertThat(third.inventory().size()).isEqualTo(2);
        third.journal().close();
    }

    @Test
    void jwt_svid_expiries_survive_a_restart_rounded_up_and_written_once_a_step() throws Exception {
        Path file = dir.resolve("inventory.log");
        InventoryJournal.Opened first = InventoryJournal.open(file, T0);
        for (int i = 0; i < 100; i++) {
            first.jwtSvids().record("r1", T0.plusSeconds(301).plusMillis(i));
        }
        first.jwtSvids().record("r2", T0.plusSeconds(10));
        first.journal().close();
        assertThat(Files.readAllLines(file))
                .as("a hundred tokens in one step are one line")
                .containsExactly(
                        "J r1 " + T0.plusSeconds(330).toEpochMilli(),
                        "J r2 " + T0.plusSeconds(30).toEpochMilli());

        InventoryJournal.Opened second = InventoryJournal.open(file, T0.plusSeconds(60));
        assertThat(second.jwtSvids().validAt(T0.plusSeconds(60)))
                .as("r2's have expired")
                .containsExactly(java.util.Map.entry("r1", T0.plusSeconds(330)));
        assertThat(Files.readAllLines(file))
                .containsExactly("J r1 " + T0.plusSeconds(330).toEpochMilli());
        second.journal().close();
    }

    @Test
    void torn_and_foreign_lines_are_skipped_and_a_supersession_by_another_identity_is_ignored() throws Exception {
        Path file = dir.resolve("inventory.log");
        long notAfter = T0.plusSeconds(3600).toEpochMilli();
        Files.writeString(
                file,
                "I a1 " + A.uri() + " r1 " + notAfter + "\n"
                        + "S a1 " + B.uri() + "\n"
                        + "I b1 " + B.uri() + " r1 " + notAfter + "\n"
                        + "I zz not-a-spiffe-id r1 12\n"
                        + "X something else\n"
                        + "I c1 " + A.uri() + " r1 17");
        InventoryJournal.Opened opened = InventoryJournal.open(file, T0);
        assertThat(opened.inventory().inUseUnder("r1", T0, 0).total())
                .as("a1 and b1; a1's foreign supersession ignored")
                .isEqualTo(2);
        assertThat(opened.inventory().size()).isEqualTo(2);
        opened.journal().close();
    }

    @Test
    void renewals_in_a_loop_do_not_grow_the_journal_without_bound() throws Exception {
        Path file = dir.resolve("inventory.log");
        InventoryJournal.Opened opened = InventoryJournal.open(file, T0);
        BigInteger held = BigInteger.ONE;
        opened.inventory().record(new IssuedLeaf(held, A, "r1", T0.plusSeconds(3600)));
        for (int i = 2; i < 5000; i++) {
            BigInteger next = BigInteger.valueOf(i);
            opened.inventory().record(new IssuedLeaf(next, A, "r1", T0.plusSeconds(3600)));
            opened.inventory().replace(A, held, next);
            held = next;
            if (opened.journal().mostlyStale(opened.inventory().unreplaced().size())) {
                opened.journal().rewrite(opened.inventory().unreplaced());
            }
        }
        opened.journal().close();
        assertThat(Files.readAllLines(file).size())
                .as("one leaf in use; lines since the last compaction only")
                .isLessThanOrEqualTo(2 * 1001);
        assertThat(InventoryJournal.open(file, T0)
                        .inventory()
                        .inUseUnder("r1", T0, 0)
                        .total())
                .isEqualTo(1);
    }
}
