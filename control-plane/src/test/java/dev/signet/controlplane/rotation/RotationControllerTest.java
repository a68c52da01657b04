package dev.signet.controlplane.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The controller with real CA material, a store in memory and observations set by the test: what it records,
 * what it applies, and when.
 */
class RotationControllerTest {

    private static final RotationSettings SETTINGS =
            new RotationSettings(Duration.ofSeconds(10), Duration.ofSeconds(1), 100, Duration.ofSeconds(1));

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final CryptoProviders providers = CryptoProviders.detect();
    private final AuthorityMinter minter = new AuthorityMinter(providers, clock, new SecureRandom());
    private final CaDirectory.Contents r1 =
            CaMaterial.of(minter.mint("cluster.local", KeyType.EC_P256), "r1").load(providers);
    private final MemoryStore store = new MemoryStore();
    private Observations seen = new Observations(List.of(), 0, 0, 0, List.of());
    private final List<String> applied = new ArrayList<>();
    private final List<String> renewals = new ArrayList<>();

    private final RotationController.Effects effects = new RotationController.Effects() {
        @Override
        public void apply(SigningAuthority signer, TrustBundle bundle) {
            applied.add("signer " + name(signer.rootFingerprint())
                    + (signer.chain().size() > 1 ? " +cross" : "") + ", bundle v" + bundle.version() + " "
                    + bundle.fingerprints().stream().map(this::name).toList());
        }

        @Override
        public void requestRenewal(String authorityId, TrustBundle bundle, Duration spread) {
            renewals.add(name(authorityId.split("\\+")[0]) + (authorityId.contains("+") ? " cross-linked" : "")
                    + " within " + spread.toMillis() + " ms");
        }

        private String name(String fingerprint) {
            return fingerprint.equals(r1.signer().rootFingerprint()) ? "R1" : "R2";
        }
    };

    private RotationController controller() throws Exception {
        return new RotationController(
                "cluster.local", r1, store, (old, cross, version) -> seen, effects, SETTINGS, providers, minter, clock);
    }

    private void confirmedBy(long version, long oldLeaves, long crossLinked) {
        seen = new Observations(
                List.of(new WorkloadConfirmation("shop/a", version)),
                0,
                0,
                oldLeaves,
                List.of(),
                crossLinked,
                List.of());
    }

    /** Ticks over the settle time: the gate must stay open all along. */
    private void settle(RotationController controller) {
        controller.tick();
        clock.advance(SETTINGS.settle());
        controller.tick();
    }

    @Test
    void each_phase_is_recorded_then_applied_and_waits_for_its_gate_to_stay_open() throws Exception {
        RotationController controller = controller();
        assertThat(controller.bundle().version()).isEqualTo(1);

        RotationStatus prepare = controller.start(RotationRequest.generated(RotationMode.AUTOMATIC));
        assertThat(store.record.rotation().orElseThrow().phase()).isEqualTo(RotationPhase.PREPARE);
        assertThat(applied).containsExactly("signer R1, bundle v2 [R1, R2]");
        assertThat(prepare.phase()).contains(RotationPhase.PREPARE);

        confirmedBy(1, 3, 0);
        settle(controller);
        assertThat(controller.status().phase()).as("the workload holds v1").contains(RotationPhase.PREPARE);
        assertThat(controller.status().advancesAt())
                .as("a shut gate: no time to tell")
                .isEmpty();

        confirmedBy(2, 3, 0);
        controller.tick();
        java.time.Instant opened = clock.instant();
        clock.advance(SETTINGS.settle().minusSeconds(1));
        controller.tick();
        assertThat(controller.status().phase())
                .as("open, but not for the settle time yet")
                .contains(RotationPhase.PREPARE);
        assertThat(controller.status().advancesAt())
                .as("the settle time after the gate opened")
                .contains(opened.plus(SETTINGS.settle()));
        clock.advance(Duration.ofSeconds(1));
        controller.tick();
        assertThat(controller.status().phase()).contains(RotationPhase.ACTIVATE);
        assertThat(applied).last().isEqualTo("signer R2 +cross, bundle v2 [R2, R1]");
        assertThat(renewals).containsExactly("R1 within 1000 ms");

        confirmedBy(2, 300, 0);
        clock.advance(Duration.ofSeconds(30));
        controller.tick();
        assertThat(renewals)
                .as("asked again, spread by the rate cap: 300 at 100/s")
                .containsExactly("R1 within 1000 ms", "R1 within 3000 ms");

        confirmedBy(2, 0, 300);
        settle(controller);
        assertThat(controller.status().phase()).contains(RotationPhase.RETIRE);
        assertThat(applied).last().isEqualTo("signer R2, bundle v3 [R2]");
        assertThat(renewals).last().isEqualTo("R2 cross-linked within 3000 ms");

        confirmedBy(3, 0, 2);
        settle(controller);
        RotationStatus held = controller.status();
        assertThat(held.phase()).as("leaves still carry the link to R1").contains(RotationPhase.RETIRE);
        assertThat(held.gate()).contains("2 leaves in use still carry the cross-signed link");

        confirmedBy(3, 0, 0);
        settle(controller);
        assertThat(controller.status().phase()).contains(RotationPhase.COMPLETE);
        assertThat(store.finished).containsExactly("promote");
        assertThat(controller.bundle().fingerprints())
                .containsExactly(controller.signer().rootFingerprint());
        assertThat(controller.signer().rootFingerprint())
                .isNotEqualTo(r1.signer().rootFingerprint());
    }

    @Test
    void a_new_controller_resumes_the_recorded_phase_and_refuses_a_second_rotation() throws Exception {
        RotationController first = controller();
        first.start(RotationRequest.generated(RotationMode.MANUAL));
        confirmedBy(2, 1, 0);
        first.tick();
        assertThat(first.status().gateOpen()).isTrue();
        assertThat(first.status().advancesAt())
                .as("a Manual rotation at its target waits for its admin, not for a time")
                .isEmpty();
        first.advance();
        assertThat(first.status().advancesAt()).isPresent();
        settle(first);
        assertThat(first.status().phase()).contains(RotationPhase.ACTIVATE);

        RotationController second = controller();
        assertThat(second.status().phase()).contains(RotationPhase.ACTIVATE);
        assertThat(second.signer().rootFingerprint()).isEqualTo(first.signer().rootFingerprint());
        assertThat(second.signer().chain())
                .as("the intermediate and the cross-signed link, as before")
                .hasSize(2);
        assertThatThrownBy(() -> second.start(RotationRequest.generated(RotationMode.AUTOMATIC)))
                .isInstanceOf(RotationRefused.class)
                .hasMessageContaining("is in ACTIVATE");

        RotationStatus back = second.rollBack();
        assertThat(back.rotation().orElseThrow().toRoot()).isEqualTo(r1.signer().rootFingerprint());
        assertThat(back.phase()).contains(RotationPhase.PREPARE);
    }

    @Test
    void a_forced_gate_passes_after_the_settle_time_and_stays_on_record() throws Exception {
        RotationController controller = controller();
        controller.start(RotationRequest.generated(RotationMode.AUTOMATIC));
        confirmedBy(1, 1, 0);
        assertThatThrownBy(() -> controller.force("  ")).isInstanceOf(RotationRefused.class);

        RotationStatus asked = controller.force("node gone for good");
        assertThat(asked.phase())
                .as("files written a moment ago are read first")
                .contains(RotationPhase.PREPARE);
        assertThat(asked.advancesAt())
                .as("a forced gate passes the settle time after it was forced")
                .contains(clock.instant().plus(SETTINGS.settle()));
        clock.advance(SETTINGS.settle());
        controller.tick();
        RotationStatus passed = controller.status();
        assertThat(passed.phase()).contains(RotationPhase.ACTIVATE);
        assertThat(passed.forced()).extracting(ForcedGate::reason).containsExactly("node gone for good");
        assertThat(store.record.rotation().orElseThrow().forced()).hasSize(1);
        assertThat(store.record.archiveOldKey())
                .as("a forced gate keeps the retiring root's keys")
                .isTrue();
    }

    @Test
    void a_supplied_root_must_differ_from_the_root_in_use_and_belong_to_the_trust_domain() throws Exception {
        RotationController controller = controller();
        CaMaterial same = CaMaterial.of(
                new dev.signet.ca.authority.MintedAuthority(
                        new dev.signet.ca.authority.CertifiedKey(
                                r1.signer().root(), r1.rootKey().orElseThrow()),
                        r1.signer()),
                "same");
        assertThatThrownBy(() -> controller.start(new RotationRequest(
                        RotationMode.AUTOMATIC, Optional.of(same), KeyType.EC_P256, Duration.ofDays(1), false)))
                .isInstanceOf(RotationRefused.class)
                .hasMessageContaining("is the root in use");
        CaMaterial foreign = CaMaterial.of(minter.mint("example.org", KeyType.EC_P256), "foreign");
        assertThatThrownBy(() -> controller.start(new RotationRequest(
                        RotationMode.AUTOMATIC, Optional.of(foreign), KeyType.EC_P256, Duration.ofDays(1), false)))
                .isInstanceOf(RotationRefused.class)
                .hasMessageContaining("trust domain example.org");
        assertThat(store.record).isEqualTo(RotationRecord.INITIAL);
        assertThat(applied).isEmpty();
    }

    @Test
    void a_replica_that_does_not_drive_follows_the_record_and_asks_its_own_agents_to_renew() throws Exception {
        RotationController leader = controller();
        List<String> followerApplied = new ArrayList<>();
        List<String> followerRenewals = new ArrayList<>();
        RotationController follower = new RotationController(
                "cluster.local",
                r1,
                store,
                (old, cross, version) -> seen,
                new RotationController.Effects() {
                    @Override
                    public void apply(SigningAuthority signer, TrustBundle bundle) {
                        followerApplied.add("signer "
                                + (signer.rootFingerprint().equals(r1.signer().rootFingerprint()) ? "R1" : "R2")
                                + ", bundle v" + bundle.version());
                    }

                    @Override
                    public void requestRenewal(String authorityId, TrustBundle bundle, Duration spread) {
                        followerRenewals.add(authorityId.equals(r1.signer().rootFingerprint()) ? "R1" : authorityId);
                    }
                },
                SETTINGS,
                providers,
                minter,
                clock);
        follower.follow();
        assertThat(followerApplied).as("nothing recorded, nothing to take up").isEmpty();

        leader.start(RotationRequest.generated(RotationMode.MANUAL));
        RotationRecord recorded = store.record;
        follower.follow();
        assertThat(followerApplied).containsExactly("signer R1, bundle v2");
        follower.follow();
        assertThat(followerApplied).as("unchanged: applied once").hasSize(1);
        assertThat(store.record).as("a follower never writes").isSameAs(recorded);

        confirmedBy(2, 4, 0);
        leader.allowUpTo(RotationPhase.RETIRE);
        settle(leader);
        assertThat(leader.status().phase()).contains(RotationPhase.ACTIVATE);
        follower.follow();
        assertThat(followerApplied).last().isEqualTo("signer R2, bundle v2");
        assertThat(follower.signer().chain())
                .as("its leaves carry the cross-signed link too")
                .hasSize(2);
        assertThat(followerRenewals).containsExactly("R1");

        confirmedBy(3, 0, 0);
        settle(leader);
        settle(leader);
        assertThat(leader.status().phase()).as("Manual: no further than asked").contains(RotationPhase.RETIRE);
        leader.allowUpTo(RotationPhase.COMPLETE);
        settle(leader);
        assertThat(leader.status().phase()).contains(RotationPhase.COMPLETE);
        follower.follow();
        assertThat(followerApplied).last().isEqualTo("signer R2, bundle v3");
        assertThat(follower.status().phase()).contains(RotationPhase.COMPLETE);
        assertThat(store.finished)
                .as("only the driving replica finishes in the store")
                .containsExactly("promote");
    }

    @Test
    void a_force_asked_again_while_it_waits_keeps_its_place_and_passes_once() throws Exception {
        RotationController controller = controller();
        controller.start(RotationRequest.generated(RotationMode.AUTOMATIC));
        confirmedBy(1, 0, 0);
        controller.force("node gone");
        clock.advance(SETTINGS.settle().minusSeconds(1));
        controller.force("node gone");
        clock.advance(Duration.ofSeconds(1));
        controller.tick();
        assertThat(controller.status().phase())
                .as("the wait counts from the first ask")
                .contains(RotationPhase.ACTIVATE);
        assertThat(controller.status().forced()).hasSize(1);
    }

    @Test
    void an_issuer_rotation_keeps_root_and_bundle_and_is_refused_mid_rotation_or_without_the_root_key()
            throws Exception {
        RotationController controller = controller();
        SigningAuthority before = controller.signer();
        SigningAuthority after = controller.rotateIssuer(KeyType.EC_P256, Duration.ofDays(30));
        assertThat(after.rootFingerprint()).isEqualTo(before.rootFingerprint());
        assertThat(after.certificate()).isNotEqualTo(before.certificate());
        assertThat(after.certificate().getIssuerX500Principal())
                .isEqualTo(before.root().getSubjectX500Principal());
        assertThat(controller.signer().certificate()).isEqualTo(after.certificate());
        assertThat(store.finished).as("stored as a promotion").containsExactly("promote");
        assertThat(applied).containsExactly("signer R1, bundle v1 [R1]");

        controller.start(RotationRequest.generated(RotationMode.MANUAL));
        assertThatThrownBy(() -> controller.rotateIssuer(KeyType.EC_P256, Duration.ofDays(30)))
                .isInstanceOf(RotationRefused.class)
                .hasMessageContaining("is in PREPARE");

        CaDirectory.Contents withoutRootKey = new CaDirectory.Contents(r1.signer(), Optional.empty());
        RotationController plugIn = new RotationController(
                "cluster.local",
                withoutRootKey,
                new MemoryStore(),
                (old, cross, version) -> seen,
                effects,
                SETTINGS,
                providers,
                minter,
                clock);
        assertThatThrownBy(() -> plugIn.rotateIssuer(KeyType.EC_P256, Duration.ofDays(30)))
                .isInstanceOf(RotationRefused.class)
                .hasMessageContaining("root-key.pem");
    }

    /** Keeps what a real store keeps, in memory. */
    private static final class MemoryStore implements RotationStore {
        RotationRecord record = RotationRecord.INITIAL;
        Optional<CaMaterial> candidate = Optional.empty();
        final List<String> finished = new ArrayList<>();

        @Override
        public RotationRecord load() {
            return record;
        }

        @Override
        public void save(RotationRecord next) {
            record = next;
        }

        @Override
        public Optional<CaMaterial> candidate() {
            return candidate;
        }

        @Override
        public void saveCandidate(CaMaterial material) {
            candidate = Optional.of(material);
        }

        @Override
        public void finish(boolean promote, boolean archive) {
            finished.add(promote ? "promote" : "discard");
            candidate = Optional.empty();
        }
    }
}
