package dev.signet.ca.authority;

import static dev.signet.ca.authority.AuthorityPhase.ACTIVE;
import static dev.signet.ca.authority.AuthorityPhase.PREPARED;
import static dev.signet.ca.authority.AuthorityPhase.RETIRED;
import static dev.signet.ca.authority.AuthorityPhase.RETIRING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.CaException;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorityPhaseTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final SigningAuthority r1 = TestCa.create(KeyType.EC_P256, clock).authority().signer();
    private final SigningAuthority r2 = TestCa.create(KeyType.EC_P256, clock).authority().signer();

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "PREPARED,ACTIVE,true", "PREPARED,RETIRED,true", "PREPARED,RETIRING,false", "PREPARED,PREPARED,false",
        "ACTIVE,RETIRING,true", "ACTIVE,RETIRED,false", "ACTIVE,PREPARED,false", "ACTIVE,ACTIVE,false",
        "RETIRING,ACTIVE,true", "RETIRING,RETIRED,true", "RETIRING,PREPARED,false", "RETIRING,RETIRING,false",
        "RETIRED,PREPARED,false", "RETIRED,ACTIVE,false", "RETIRED,RETIRING,false", "RETIRED,RETIRED,false",
    })
    void the_transition_table(AuthorityPhase from, AuthorityPhase to, boolean legal) {
        assertThat(from.canMoveTo(to)).isEqualTo(legal);
    }

    @Test
    void only_active_signs_and_only_retired_leaves_the_bundle() {
        assertThat(EnumSet.allOf(AuthorityPhase.class).stream().filter(AuthorityPhase::signs)).containsExactly(ACTIVE);
        assertThat(EnumSet.allOf(AuthorityPhase.class).stream().filter(p -> !p.inBundle())).containsExactly(RETIRED);
    }

    @Test
    void an_authority_records_when_it_entered_each_phase() {
        Authority prepared = Authority.prepared(r1, clock);
        clock.advance(Duration.ofMinutes(10));
        Authority active = prepared.moveTo(ACTIVE, clock);
        assertThat(prepared.phase()).isEqualTo(PREPARED);
        assertThat(active.phase()).isEqualTo(ACTIVE);
        assertThat(active.enteredAt(PREPARED)).contains(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(active.enteredAt(ACTIVE)).contains(Instant.parse("2026-11-23T10:10:00Z"));
        assertThat(active.enteredAt(RETIRED)).isEmpty();
    }

    @Test
    void an_illegal_transition_is_refused_with_what_is_allowed() {
        Authority retired = Authority.prepared(r1, clock).moveTo(RETIRED, clock);
        assertThatThrownBy(() -> retired.moveTo(ACTIVE, clock))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.reason()).isEqualTo(CaException.Reason.ILLEGAL_PHASE_TRANSITION))
                .hasMessageContaining("from RETIRED to ACTIVE").hasMessageContaining("terminal");
        Authority prepared = Authority.prepared(r1, clock);
        assertThatThrownBy(() -> prepared.moveTo(RETIRING, clock)).hasMessageContaining("[ACTIVE, RETIRED]");
    }

    @Test
    void a_full_rotation_keeps_one_signer_and_versions_the_bundle() {
        AuthoritySet set = AuthoritySet.bootstrap(r1, clock);
        assertThat(set.active().orElseThrow().id()).isEqualTo(r1.rootFingerprint());
        assertThat(set.trustBundle().version()).isEqualTo(1);

        AuthoritySet prepared = set.prepare(r2, clock);
        assertThat(prepared.trustBundle().version()).isEqualTo(2);
        assertThat(prepared.trustBundle().fingerprints()).containsExactly(r1.rootFingerprint(), r2.rootFingerprint());
        assertThat(prepared.active().orElseThrow().id()).isEqualTo(r1.rootFingerprint());

        AuthoritySet activated = prepared.activate(r2.rootFingerprint(), clock);
        assertThat(activated.active().orElseThrow().id()).isEqualTo(r2.rootFingerprint());
        assertThat(activated.find(r1.rootFingerprint()).orElseThrow().phase()).isEqualTo(RETIRING);
        assertThat(activated.trustBundle().version()).isEqualTo(2);

        AuthoritySet retired = activated.retire(r1.rootFingerprint(), clock);
        assertThat(retired.trustBundle().version()).isEqualTo(3);
        assertThat(retired.trustBundle().fingerprints()).containsExactly(r2.rootFingerprint());
        assertThat(signers(retired)).hasSize(1);
    }

    @Test
    void rollback_after_activation_returns_signing_to_the_old_root() {
        AuthoritySet activated = AuthoritySet.bootstrap(r1, clock).prepare(r2, clock).activate(r2.rootFingerprint(), clock);
        AuthoritySet rolledBack = activated.activate(r1.rootFingerprint(), clock);
        assertThat(rolledBack.active().orElseThrow().id()).isEqualTo(r1.rootFingerprint());
        assertThat(rolledBack.find(r2.rootFingerprint()).orElseThrow().phase()).isEqualTo(RETIRING);
        assertThat(rolledBack.trustBundle().version()).isEqualTo(2);
    }

    @Test
    void the_signer_cannot_be_retired_and_the_last_root_cannot_leave() {
        AuthoritySet set = AuthoritySet.bootstrap(r1, clock);
        assertThatThrownBy(() -> set.retire(r1.rootFingerprint(), clock)).hasMessageContaining("from ACTIVE to RETIRED");
        assertThatThrownBy(() -> set.prepare(r1, clock)).hasMessageContaining("already in the set");
        assertThatThrownBy(() -> set.activate("nope", clock)).hasMessageContaining("no authority nope");
    }

    private static Set<Authority> signers(AuthoritySet set) {
        Set<Authority> signing = new java.util.HashSet<>();
        set.authorities().stream().filter(a -> a.phase().signs()).forEach(signing::add);
        return signing;
    }
}
