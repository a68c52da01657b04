package dev.signet.controlplane.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RootRotationTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String R1 = "r1";
    private static final String R2 = "r2";

    private static Observations confirmed(long... versions) {
        List<WorkloadConfirmation> workloads = new ArrayList<>();
        for (int i = 0; i < versions.length; i++) {
            workloads.add(new WorkloadConfirmation("shop/w" + i, versions[i]));
        }
        return new Observations(workloads, 0, 0, 0, List.of());
    }

    private static Observations oldLeaves(long count, String... holders) {
        return new Observations(List.of(new WorkloadConfirmation("shop/w0", 99)), 0, 0, count, List.of(holders));
    }

    @Test
    void an_automatic_rotation_advances_only_through_open_gates() {
        RootRotation prepare = RootRotation.start("rot-1", R1, R2, RotationMode.AUTOMATIC, 4, T0);
        assertThat(prepare.phase()).isEqualTo(RotationPhase.PREPARE);
        assertThat(prepare.bundleVersion()).isEqualTo(5);
        assertThat(prepare.signingRoot()).isEqualTo(R1);
        assertThat(prepare.trustedRoots()).containsExactly(R1, R2);

        Observations oneBehind = confirmed(5, 4, 5);
        Gate held = prepare.gate(oneBehind);
        assertThat(held.open()).isFalse();
        assertThat(held.summary()).isEqualTo("2/3 workloads confirmed bundle v5");
        assertThat(held.laggards()).containsExactly("shop/w1");
        assertThat(prepare.advance(oneBehind, T0.plusSeconds(1))).isSameAs(prepare);

        RootRotation activate = prepare.advance(confirmed(5, 5, 6), T0.plusSeconds(2));
        assertThat(activate.phase()).isEqualTo(RotationPhase.ACTIVATE);
        assertThat(activate.bundleVersion()).as("the roots did not change").isEqualTo(5);
        assertThat(activate.signingRoot()).isEqualTo(R2);
        assertThat(activate.trustedRoots()).containsExactly(R2, R1);
        assertThat(activate.enteredAt()).containsEntry(RotationPhase.ACTIVATE, T0.plusSeconds(2));

        Gate leaves = activate.gate(oldLeaves(2, "spiffe://cluster.local/ns/shop/sa/a"));
        assertThat(leaves.open()).isFalse();
        assertThat(leaves.summary()).isEqualTo("2 leaves in use under the old root");
        assertThat(activate.advance(oldLeaves(2), T0.plusSeconds(3))).isSameAs(activate);

        RootRotation retire = activate.advance(oldLeaves(0), T0.plusSeconds(4));
        assertThat(retire.phase()).isEqualTo(RotationPhase.RETIRE);
        assertThat(retire.bundleVersion()).isEqualTo(6);
        assertThat(retire.trustedRoots()).containsExactly(R2);
        assertThat(retire.advance(confirmed(5), T0.plusSeconds(5)))
                .as("v5 is not v6")
                .isSameAs(retire);

        RootRotation complete = retire.advance(confirmed(6, 7), T0.plusSeconds(6));
        assertThat(complete.complete()).isTrue();
        assertThat(complete.signingRoot()).isEqualTo(R2);
        assertThat(complete.advance(confirmed(), T0.plusSeconds(7))).isSameAs(complete);
        assertThat(complete.enteredAt()).containsOnlyKeys(RotationPhase.values());
    }

    @Test
    void activate_waits_for_the_old_keys_jwt_svids_to_expire_as_for_its_leaves() {
        RootRotation activate = RootRotation.start("rot-1", R1, R2, RotationMode.AUTOMATIC, 4, T0)
                .advance(confirmed(5), T0.plusSeconds(1));
        Observations jwtLeft = oldLeaves(0).withOldJwtSvidsValidFor(java.time.Duration.ofSeconds(42));

        Gate held = activate.gate(jwtLeft);
        assertThat(held.open()).isFalse();
        assertThat(held.summary())
                .isEqualTo("0 leaves in use under the old root; JWT-SVIDs of the old key valid for 42s more");
        assertThat(activate.advance(jwtLeft, T0.plusSeconds(2))).isSameAs(activate);
        assertThat(activate.advance(oldLeaves(0).withOldJwtSvidsValidFor(java.time.Duration.ZERO), T0.plusSeconds(3))
                        .phase())
                .isEqualTo(RotationPhase.RETIRE);
    }

    @Test
    void namespaces_hold_the_bundle_gate_and_at_most_ten_laggards_are_named() {
        RootRotation prepare = RootRotation.start("rot-1", R1, R2, RotationMode.AUTOMATIC, 1, T0);
        Observations namespacesBehind =
                new Observations(List.of(new WorkloadConfirmation("shop/a", 2)), 3, 4, 0, List.of());
        Gate gate = prepare.gate(namespacesBehind);
        assertThat(gate.open()).isFalse();
        assertThat(gate.summary()).isEqualTo("1/1 workloads confirmed bundle v2, 3/4 namespaces published");

        List<WorkloadConfirmation> many = IntStream.range(0, 25)
                .mapToObj(i -> new WorkloadConfirmation("shop/w%02d".formatted(i), 1))
                .toList();
        Gate crowded = prepare.gate(new Observations(many, 0, 0, 0, List.of()));
        assertThat(crowded.confirmed()).isZero();
        assertThat(crowded.total()).isEqualTo(25);
        assertThat(crowded.laggards()).hasSize(10).startsWith("shop/w00").endsWith("shop/w09");
    }

    @Test
    void no_connected_workload_leaves_nothing_to_wait_for() {
        RootRotation prepare = RootRotation.start("rot-1", R1, R2, RotationMode.AUTOMATIC, 1, T0);
        assertThat(prepare.gate(confirmed()).open()).isTrue();
    }

    @Test
    void a_manual_rotation_waits_for_the_admin_and_still_for_the_gate() {
        RootRotation prepare = RootRotation.start("rot-1", R1, R2, RotationMode.MANUAL, 1, T0);
        assertThat(prepare.advance(confirmed(2), T0.plusSeconds(1)))
                .as("gate open, not asked")
                .isSameAs(prepare);

        RootRotation asked = prepare.allowNextPhase();
        assertThat(asked.target()).isEqualTo(RotationPhase.ACTIVATE);
        assertThat(asked.advance(confirmed(1), T0.plusSeconds(2)))
                .as("asked, gate shut")
                .isSameAs(asked);
        RootRotation activate = asked.advance(confirmed(2), T0.plusSeconds(3));
        assertThat(activate.phase()).isEqualTo(RotationPhase.ACTIVATE);
        assertThat(activate.advance(oldLeaves(0), T0.plusSeconds(4)))
                .as("one phase per request")
                .isSameAs(activate);
    }

    @Test
    void forcing_a_gate_needs_a_reason_and_keeps_it() {
        RootRotation prepare = RootRotation.start("rot-1", R1, R2, RotationMode.MANUAL, 1, T0);
        assertThatThrownBy(() -> prepare.force("  ", T0))
                .isInstanceOf(RotationRefused.class)
                .hasMessageContaining("needs a reason");

        RootRotation forced = prepare.force("node-7 is gone for good", T0.plusSeconds(9));
        assertThat(forced.phase()).isEqualTo(RotationPhase.ACTIVATE);
        assertThat(forced.forced())
                .containsExactly(new ForcedGate(RotationPhase.PREPARE, "node-7 is gone for good", T0.plusSeconds(9)));
        assertThat(forced.rollBack(T0.plusSeconds(10)).forced())
                .as("kept across a rollback")
                .hasSize(1);

        RootRotation complete = forced.force("a", T0).force("b", T0);
        assertThat(complete.complete()).isTrue();
        assertThatThrownBy(() -> complete.force("c", T0)).isInstanceOf(RotationRefused.class);
        assertThatThrownBy(complete::allowNextPhase).isInstanceOf(RotationRefused.class);
    }

    @Test
    void a_rollback_from_any_phase_keeps_what_the_mesh_trusts_and_who_signs_then_walks_back_to_the_old_root() {
        RootRotation prepare = RootRotation.start("rot-1", R1, R2, RotationMode.AUTOMATIC, 1, T0);
        RootRotation activate = prepare.advance(confirmed(2), T0);
        RootRotation retire = activate.advance(oldLeaves(0), T0);
        for (RootRotation forward : List.of(prepare, activate, retire)) {
            RootRotation back = forward.rollBack(T0.plusSeconds(60));
            assertThat(back.rollback()).isTrue();
            assertThat(back.fromRoot()).isEqualTo(R2);
            assertThat(back.toRoot()).isEqualTo(R1);
            assertThat(back.signingRoot())
                    .as("no signer switch at the moment of rollback from " + forward.phase())
                    .isEqualTo(forward.signingRoot());
            assertThat(back.trustedRoots())
                    .as("nothing trusted is dropped at once, from " + forward.phase())
                    .containsAll(forward.trustedRoots());
            if (forward.phase() == RotationPhase.RETIRE) {
                assertThat(back.bundleVersion()).as("R1 returns to the bundle").isEqualTo(forward.bundleVersion() + 1);
                assertThat(back.phase()).isEqualTo(RotationPhase.PREPARE);
            } else {
                assertThat(back.bundleVersion()).isEqualTo(forward.bundleVersion());
            }

            RootRotation walked = back;
            for (int step = 0; step < 4 && !walked.complete(); step++) {
                long version = walked.bundleVersion();
                walked = walked.advance(
                        new Observations(List.of(new WorkloadConfirmation("shop/w", version)), 0, 0, 0, List.of()),
                        T0.plusSeconds(61 + step));
            }
            assertThat(walked.complete()).isTrue();
            assertThat(walked.signingRoot()).isEqualTo(R1);
            assertThat(walked.trustedRoots()).containsExactly(R1);
        }
    }

    @Test
    void a_complete_rotation_cannot_be_rolled_back() {
        RootRotation complete = RootRotation.start("rot-1", R1, R2, RotationMode.AUTOMATIC, 1, T0)
                .force("x", T0)
                .force("y", T0)
                .force("z", T0);
        assertThatThrownBy(() -> complete.rollBack(T0))
                .isInstanceOf(RotationRefused.class)
                .hasMessageContaining("start a new rotation");
    }

    @Test
    void a_rotation_needs_two_roots() {
        assertThatThrownBy(() -> RootRotation.start("rot-1", R1, R1, RotationMode.AUTOMATIC, 1, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
