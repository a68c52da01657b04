package dev.signet.controlplane.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.inventory.LeafInventory;
import dev.signet.ca.spiffe.SpiffeId;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeshLeafHoldersTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final String R1 = "aa11";
    private static final String R2 = "bb22";

    private static String holder(String account) {
        return SpiffeId.forServiceAccount("cluster.local", "shop", account).uri();
    }

    @Test
    void holders_named_only_by_a_gone_replicas_report_are_asked_too() {
        LeafInventory own = new LeafInventory();
        own.record(new IssuedLeaf(
                BigInteger.valueOf(0x10),
                SpiffeId.forServiceAccount("cluster.local", "shop", "local"),
                R1,
                NOW.plus(Duration.ofHours(1))));
        // The holder of 0x21 renewed through this replica, naming the leaf the gone replica issued it.
        own.replace(
                SpiffeId.forServiceAccount("cluster.local", "shop", "renewed"),
                BigInteger.valueOf(0x21),
                BigInteger.valueOf(0x11));
        ReplicaReport gone = new ReplicaReport(
                "gone",
                NOW.minus(Duration.ofMinutes(5)),
                List.of(),
                Map.of(
                        R1,
                        List.of(
                                new ReplicaReport.Leaf("20", holder("checkout"), NOW.plus(Duration.ofHours(20))),
                                new ReplicaReport.Leaf("21", holder("renewed"), NOW.plus(Duration.ofHours(20))),
                                new ReplicaReport.Leaf("22", holder("expired"), NOW.minus(Duration.ofSeconds(1))),
                                new ReplicaReport.Leaf("23", holder("gave-up"), NOW.plus(Duration.ofHours(20)))),
                        R2,
                        List.of(new ReplicaReport.Leaf("30", holder("new-root"), NOW.plus(Duration.ofHours(20))))),
                Set.of(new ReplicaReport.Replaced("23", holder("gave-up"))));
        MeshLeafHolders holders = new MeshLeafHolders(
                own, () -> new OtherReplicas(Map.of("signet-replica-gone", gone), List.of(), Duration.ofSeconds(10)));

        assertThat(holders.under(R1, NOW)).containsExactlyInAnyOrder(holder("local"), holder("checkout"));
        assertThat(holders.under(R2, NOW)).containsExactly(holder("new-root"));
    }

    @Test
    void alone_the_holders_are_those_of_the_leaves_not_replaced() {
        LeafInventory own = new LeafInventory();
        SpiffeId renewed = SpiffeId.forServiceAccount("cluster.local", "shop", "renewed");
        own.record(new IssuedLeaf(BigInteger.ONE, renewed, R1, NOW.plus(Duration.ofHours(1))));
        own.record(new IssuedLeaf(
                BigInteger.TWO,
                SpiffeId.forServiceAccount("cluster.local", "shop", "waiting"),
                R1,
                NOW.plus(Duration.ofHours(1))));
        own.record(new IssuedLeaf(BigInteger.TEN, renewed, R2, NOW.plus(Duration.ofHours(1))));
        own.replace(renewed, BigInteger.ONE, BigInteger.TEN);
        MeshLeafHolders holders =
                new MeshLeafHolders(own, () -> new OtherReplicas(Map.of(), List.of(), Duration.ofSeconds(10)));

        assertThat(holders.under(R1, NOW)).containsExactly(holder("waiting"));
        assertThat(holders.under(R2, NOW)).containsExactly(holder("renewed"));
    }
}
