package dev.signet.ca.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.spiffe.SpiffeId;
import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeafInventoryTest {

    private static final SpiffeId ID = SpiffeId.forServiceAccount("cluster.local", "shop", "checkout");
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void counts_leaves_in_use_per_authority_at_a_given_time() {
        LeafInventory inventory = new LeafInventory();
        inventory.record(new IssuedLeaf(BigInteger.ONE, ID, "r1", T.plusSeconds(60)));
        inventory.record(new IssuedLeaf(BigInteger.TWO, ID, "r1", T.plusSeconds(3600)));
        inventory.record(new IssuedLeaf(BigInteger.TEN, ID, "r2", T.plusSeconds(3600)));

        assertThat(inventory.inUseUnder("r1", T, 0).total()).isEqualTo(2);
        assertThat(inventory.inUseUnder("r1", T.plusSeconds(60), 0).total()).isEqualTo(1);
        assertThat(inventory.inUseUnder("r1", T.plusSeconds(3600), 0).total()).isZero();
        assertThat(inventory.inUseUnder("r2", T, 0).total()).isEqualTo(1);
        assertThat(inventory.inUseUnder("unknown", T, 0).total()).isZero();
    }

    @Test
    void prune_forgets_only_expired_leaves() {
        LeafInventory inventory = new LeafInventory();
        inventory.record(new IssuedLeaf(BigInteger.ONE, ID, "r1", T.plusSeconds(60)));
        inventory.record(new IssuedLeaf(BigInteger.TWO, ID, "r1", T.plusSeconds(3600)));
        assertThat(inventory.prune(T.plusSeconds(61))).isEqualTo(1);
        assertThat(inventory.size()).isEqualTo(1);
        assertThat(inventory.inUseUnder("r1", T, 0).total()).isEqualTo(1);
    }

    @Test
    void a_superseded_leaf_no_longer_counts_and_only_its_holder_may_supersede_it() {
        LeafInventory inventory = new LeafInventory();
        SpiffeId other = SpiffeId.forServiceAccount("cluster.local", "shop", "other");
        inventory.record(new IssuedLeaf(BigInteger.ONE, ID, "r1", T.plusSeconds(600)));
        inventory.record(new IssuedLeaf(BigInteger.TWO, other, "r1", T.plusSeconds(60)));

        assertThat(inventory.supersede(other, BigInteger.ONE))
                .as("another identity's leaf")
                .isFalse();
        assertThat(inventory.supersede(ID, BigInteger.TEN))
                .as("an unknown serial")
                .isFalse();
        assertThat(inventory.inUseUnder("r1", T, 0).total()).isEqualTo(2);
        assertThat(inventory.inUseUnder("r1", T, 10).first())
                .extracting(IssuedLeaf::serial)
                .containsExactly(BigInteger.TWO, BigInteger.ONE);

        assertThat(inventory.supersede(ID, BigInteger.ONE)).isTrue();
        assertThat(inventory.inUseUnder("r1", T, 0).total()).isEqualTo(1);
        assertThat(inventory.inUseUnder("r1", T, 10).first())
                .extracting(IssuedLeaf::id)
                .containsExactly(other);
        assertThat(inventory.size()).as("kept until it expires").isEqualTo(2);
    }

    @Test
    void a_leaf_restored_already_superseded_is_remembered_but_not_counted_as_in_use() {
        LeafInventory inventory = new LeafInventory();
        inventory.restore(new IssuedLeaf(BigInteger.ONE, ID, "r1", T.plusSeconds(600)).markedSuperseded());
        inventory.restore(new IssuedLeaf(BigInteger.TWO, ID, "r1+cross:ab", T.plusSeconds(600)));

        assertThat(inventory.size()).isEqualTo(2);
        assertThat(inventory.inUseUnder("r1", T, 10).total())
                .as("the cross-linked one only")
                .isEqualTo(1);
        assertThat(inventory.inUseByAuthority(T)).containsOnlyKeys("r1+cross:ab");
        assertThat(inventory.supersede(ID, BigInteger.TWO)).isTrue();
        assertThat(inventory.inUseUnder("r1", T, 10).total()).isZero();
        assertThat(inventory.inUseByAuthority(T)).isEmpty();
    }

    @Test
    void a_second_replacement_of_the_same_leaf_puts_the_first_replacement_out_of_use_too() {
        LeafInventory inventory = new LeafInventory();
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        inventory.record(new IssuedLeaf(BigInteger.ONE, ID, "r1", t.plusSeconds(3600)));
        inventory.record(new IssuedLeaf(BigInteger.TWO, ID, "r2", t.plusSeconds(3600)));
        inventory.replace(ID, BigInteger.ONE, BigInteger.TWO);
        assertThat(inventory.inUseUnder("r2", t, 0).total()).isEqualTo(1);

        // The response carrying leaf 2 was lost; the holder asks again, still naming leaf 1.
        inventory.record(new IssuedLeaf(BigInteger.valueOf(3), ID, "r2", t.plusSeconds(3600)));
        inventory.replace(ID, BigInteger.ONE, BigInteger.valueOf(3));

        assertThat(inventory.inUseUnder("r1", t, 0).total()).isZero();
        assertThat(inventory.inUseUnder("r2", t, 0).total())
                .as("only leaf 3, which the holder has")
                .isEqualTo(1);
        assertThat(inventory.inUseUnder("r2", t, 5).first())
                .extracting(IssuedLeaf::serial)
                .containsExactly(BigInteger.valueOf(3));
    }

    @Test
    void the_serials_out_of_use_are_those_named_as_replaced_and_those_superseded() {
        LeafInventory inventory = new LeafInventory();
        SpiffeId holder = SpiffeId.forServiceAccount("cluster.local", "shop", "a");
        inventory.record(new IssuedLeaf(BigInteger.ONE, holder, "r1", java.time.Instant.parse("2030-01-01T00:00:00Z")));
        inventory.record(new IssuedLeaf(BigInteger.TWO, holder, "r1", java.time.Instant.parse("2030-01-01T00:00:00Z")));
        inventory.replace(holder, BigInteger.valueOf(77), BigInteger.TWO);
        inventory.supersede(holder, BigInteger.ONE);
        assertThat(inventory.replacements())
                .containsExactlyInAnyOrder(
                        new LeafInventory.Replacement(BigInteger.ONE, holder),
                        new LeafInventory.Replacement(BigInteger.valueOf(77), holder));
    }

    @Test
    void a_workload_cannot_give_up_another_identitys_leaf_nor_claim_it_to_other_replicas() {
        LeafInventory inventory = new LeafInventory();
        SpiffeId victim = SpiffeId.forServiceAccount("cluster.local", "shop", "payments");
        SpiffeId attacker = SpiffeId.forServiceAccount("cluster.local", "shop", "other");
        java.time.Instant expiry = java.time.Instant.parse("2030-01-01T00:00:00Z");
        inventory.record(new IssuedLeaf(BigInteger.ONE, victim, "r1", expiry));
        inventory.record(new IssuedLeaf(BigInteger.TWO, attacker, "r2", expiry));
        inventory.replace(attacker, BigInteger.ONE, BigInteger.TWO);
        assertThat(inventory.inUseUnder("r1", expiry.minusSeconds(1), 0).total())
                .as("the victim's leaf is still in use")
                .isEqualTo(1);
        assertThat(inventory.replacements()).isEmpty();

        // A serial issued elsewhere: the claim is kept with its holder, so the replica that knows the leaf can judge
        // it.
        inventory.replace(attacker, BigInteger.valueOf(99), BigInteger.TWO);
        assertThat(inventory.replacements())
                .containsExactly(new LeafInventory.Replacement(BigInteger.valueOf(99), attacker));
    }

    @Test
    void the_holders_of_leaves_signed_through_an_earlier_process_link_are_asked_to_renew_too() {
        LeafInventory inventory = new LeafInventory();
        SpiffeId other = SpiffeId.forServiceAccount("cluster.local", "shop", "payments");
        inventory.record(new IssuedLeaf(BigInteger.ONE, ID, "r2+cross:aaaa", T.plusSeconds(3600)));
        inventory.record(new IssuedLeaf(BigInteger.TWO, other, "r2", T.plusSeconds(3600)));

        // The process that signed through link aaaa restarted and minted link bbbb: its gate counts the leaf, and so
        // must the renewal request, or the gate waits for a workload nobody asks.
        assertThat(inventory.inUseUnder("r2+cross:bbbb", T, 0).total()).isEqualTo(1);
        assertThat(inventory.holdersUnder("r2+cross:bbbb", T)).containsExactly(ID);
        assertThat(inventory.holdersUnder("r2", T)).containsExactlyInAnyOrder(ID, other);
    }
}
