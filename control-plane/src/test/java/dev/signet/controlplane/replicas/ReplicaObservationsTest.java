package dev.signet.controlplane.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.inventory.LeafInventory;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.rotation.NamespaceCoverage;
import dev.signet.controlplane.rotation.Observations;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaObservationsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration FRESH = Duration.ofSeconds(10);
    private static final String R1 = "aa11";
    private static final String R2 = "bb22";
    private static final Instant LATER = NOW.plus(Duration.ofHours(12));

    private static ReplicaReport.Leaf leaf(String serial, String holder) {
        return new ReplicaReport.Leaf(serial, "spiffe://cluster.local/ns/shop/sa/" + holder, LATER);
    }

    private static ReplicaReport report(
            String replica,
            Instant at,
            List<WorkloadConfirmation> workloads,
            Map<String, List<ReplicaReport.Leaf>> leaves,
            Set<ReplicaReport.Replaced> replaced) {
        return new ReplicaReport(replica, at, workloads, leaves, replaced);
    }

    private static ReplicaReport.Replaced replaced(String serial, String holder) {
        return new ReplicaReport.Replaced(serial, "spiffe://cluster.local/ns/shop/sa/" + holder);
    }

    /** The control plane's identity: its replicas' serving certificates carry it. */
    private static final String REPLICAS = "spiffe://cluster.local/ns/signet-system/sa/signet";

    private static final List<WorkloadConfirmation> LOCAL = List.of(new WorkloadConfirmation("shop/a", 2));
    private static final NamespaceCoverage NAMESPACES = new NamespaceCoverage(3, 3);

    @Test
    void leaves_are_counted_once_across_reports_and_not_at_all_once_any_replica_saw_them_replaced() {
        ReplicaReport own = report("a", NOW, List.of(), Map.of(R1, List.of(leaf("1", "a"), leaf("2", "b"))), Set.of());
        // b restarted: its journal reports leaf 2 again; a renewal on b by a named leaf 1 as replaced, and one by d
        // named c's leaf 3, which is not d's to give up.
        ReplicaReport b = report(
                "b",
                NOW,
                List.of(new WorkloadConfirmation("shop/c", 1)),
                Map.of(
                        R1,
                        List.of(leaf("2", "b"), leaf("3", "c"), new ReplicaReport.Leaf("51", REPLICAS, LATER)),
                        R2 + "+cross:0123",
                        List.of(leaf("4", "d"))),
                Set.of(replaced("1", "a"), replaced("3", "d")));
        ReplicaReport deadWithExpired = report(
                "old",
                NOW.minus(Duration.ofHours(1)),
                List.of(new WorkloadConfirmation("shop/gone", 1)),
                Map.of(
                        R1,
                        List.of(
                                new ReplicaReport.Leaf("5", "spiffe://x/ns/y/sa/z", NOW.minusSeconds(1)),
                                new ReplicaReport.Leaf("52", REPLICAS, LATER),
                                leaf("6", "e"))),
                Set.of());

        OtherReplicas others = new OtherReplicas(
                Map.of("signet-replica-b", b, "signet-replica-old", deadWithExpired), List.of(), FRESH);
        Observations merged = ReplicaObservations.merge(
                LOCAL, NAMESPACES, own, others, R1, Optional.of(R2 + "+cross:ffff"), REPLICAS, NOW);

        assertThat(merged.oldRootLeavesInUse())
                .as("2, 3 (not d's), b's serving certificate s1 and the dead replica's 6; 1 replaced, 5 expired, the "
                        + "dead replica's serving certificate s2 gone with it")
                .isEqualTo(4);
        assertThat(merged.oldRootLeafHolders()).hasSize(4).allMatch(name -> name.contains("(serial "));
        assertThat(merged.crossLinkedLeavesInUse())
                .as("another replica's own cross-signed link counts")
                .isEqualTo(1);
        assertThat(merged.workloads())
                .as("confirmations from replicas heard from lately only")
                .containsExactly(new WorkloadConfirmation("shop/a", 2), new WorkloadConfirmation("shop/c", 1));
        assertThat(merged.namespacesPublished()).isEqualTo(3);
    }

    @Test
    void alone_a_replica_judges_its_gate_alike_without_listing_its_replacements() {
        LeafInventory inventory = new LeafInventory();
        SpiffeId renewed = SpiffeId.forServiceAccount("cluster.local", "shop", "renewed");
        SpiffeId waiting = SpiffeId.forServiceAccount("cluster.local", "shop", "waiting");
        inventory.record(new IssuedLeaf(BigInteger.ONE, renewed, R1, LATER));
        inventory.record(new IssuedLeaf(BigInteger.TWO, waiting, R1, LATER));
        inventory.record(new IssuedLeaf(BigInteger.TEN, renewed, R2, LATER));
        inventory.replace(renewed, BigInteger.ONE, BigInteger.TEN);
        OtherReplicas none = new OtherReplicas(Map.of(), List.of(), FRESH);

        ReplicaReport full = ReplicaReport.of("a", NOW, LOCAL, inventory, Map.of());
        ReplicaReport lean = ReplicaReport.ofLeavesInUse("a", NOW, LOCAL, inventory, Map.of());
        Observations withReplacements =
                ReplicaObservations.merge(LOCAL, NAMESPACES, full, none, R1, Optional.empty(), REPLICAS, NOW);
        Observations without =
                ReplicaObservations.merge(LOCAL, NAMESPACES, lean, none, R1, Optional.empty(), REPLICAS, NOW);

        assertThat(full.replaced()).as("the full report lists the renewal").isNotEmpty();
        assertThat(lean.replaced()).isEmpty();
        assertThat(without.oldRootLeavesInUse())
                .isEqualTo(withReplacements.oldRootLeavesInUse())
                .isEqualTo(1);
        assertThat(without.oldRootLeafHolders())
                .isEqualTo(withReplacements.oldRootLeafHolders())
                .containsExactly(waiting.uri() + " (serial 2)");
    }

    @Test
    void a_report_that_cannot_be_read_holds_every_gate_and_is_named() {
        ReplicaReport own = report("a", NOW, List.of(), Map.of(), Set.of());

        Observations merged = ReplicaObservations.merge(
                LOCAL,
                NAMESPACES,
                own,
                new OtherReplicas(Map.of(), List.of("signet-replica-b"), FRESH),
                R1,
                Optional.empty(),
                REPLICAS,
                NOW);

        assertThat(merged.workloads())
                .as("a workload that confirmed nothing holds PREPARE and RETIRE")
                .contains(new WorkloadConfirmation("replica report signet-replica-b (unreadable)", 0));
        assertThat(merged.oldRootLeavesInUse())
                .as("and a leaf under the old root holds ACTIVATE")
                .isEqualTo(1);
        assertThat(merged.oldRootLeafHolders()).containsExactly("replica report signet-replica-b (unreadable)");
    }

    @Test
    void a_report_is_obsolete_once_its_replica_is_gone_and_its_leaves_expired() {
        ReplicaReport gone = report(
                "b",
                NOW.minus(Duration.ofMinutes(5)),
                List.of(),
                Map.of(R1, List.of(new ReplicaReport.Leaf("1", "h", NOW.minusSeconds(1)))),
                Set.of());
        ReplicaReport goneHolding =
                report("c", NOW.minus(Duration.ofMinutes(5)), List.of(), Map.of(R1, List.of(leaf("2", "h"))), Set.of());
        ReplicaReport live = report("d", NOW.minusSeconds(1), List.of(), Map.of(), Set.of());

        assertThat(gone.obsolete(NOW, FRESH)).isTrue();
        assertThat(goneHolding.obsolete(NOW, FRESH))
                .as("its leaf is still valid and may be in use")
                .isFalse();
        assertThat(live.obsolete(NOW, FRESH)).isFalse();
        assertThat(live.sameObservations(report("d", NOW, List.of(), Map.of(), Set.of())))
                .isTrue();
        assertThat(live.sameObservations(
                        report("d", NOW, List.of(new WorkloadConfirmation("shop/a", 1)), Map.of(), Set.of())))
                .isFalse();
    }

    @Test
    void the_latest_jwt_svid_any_replica_signed_under_the_old_root_holds_until_it_expires() {
        ReplicaReport own = new ReplicaReport(
                "this replica",
                NOW,
                List.of(),
                Map.of(),
                Set.of(),
                Map.of(R1, NOW.plusSeconds(30), R2, NOW.plusSeconds(900)));
        ReplicaReport other = new ReplicaReport(
                "other",
                NOW.minus(Duration.ofHours(1)),
                List.of(),
                Map.of(),
                Set.of(),
                Map.of(R1, NOW.plusSeconds(90)));
        java.util.function.Function<Instant, Duration> validFor = at -> ReplicaObservations.merge(
                        LOCAL,
                        NAMESPACES,
                        own,
                        new OtherReplicas(Map.of("other", other), List.of(), FRESH),
                        R1,
                        Optional.empty(),
                        REPLICAS,
                        at)
                .oldJwtSvidsValidFor();

        assertThat(validFor.apply(NOW))
                .as("a gone replica's tokens are still valid: they count until they expire; R2's are not R1's")
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(validFor.apply(NOW.plusSeconds(100))).isZero();
        assertThat(ReplicaReport.fromJson(own.toJson())).isEqualTo(own);
        assertThat(other.obsolete(NOW, FRESH)).as("its tokens are still valid").isFalse();
        assertThat(other.obsolete(NOW.plusSeconds(91), FRESH)).isTrue();
    }

    @Test
    void a_report_survives_its_json_and_a_damaged_one_is_refused() {
        ReplicaReport report = report(
                "a",
                NOW,
                List.of(new WorkloadConfirmation("shop/a", 3)),
                Map.of(R1, List.of(leaf("ff01", "a"))),
                Set.of(replaced("a", "a")));
        assertThat(ReplicaReport.fromJson(report.toJson())).isEqualTo(report);
        assertThatThrownBy(() -> ReplicaReport.fromJson("{\"replica\":\"a\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs replica and at");
        assertThatThrownBy(
                        () -> ReplicaReport.fromJson(
                                "{\"replica\":\"a\",\"at\":\"2026-11-23T10:00:00Z\","
                                        + "\"leaves\":{\"x\":[{\"serial\":\"zz\",\"holder\":\"h\",\"notAfter\":\"2026-11-23T10:00:00Z\"}]}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("damaged");
        assertThatThrownBy(() -> ReplicaReport.fromJson("{")).isInstanceOf(IllegalArgumentException.class);
        // An earlier release's bare serials name no holder: they cannot be judged, so they count for nothing.
        assertThat(ReplicaReport.fromJson("{\"replica\":\"a\",\"at\":\"2026-11-23T10:00:00Z\",\"replaced\":[\"1f\"]}")
                        .replaced())
                .isEmpty();
    }
}
