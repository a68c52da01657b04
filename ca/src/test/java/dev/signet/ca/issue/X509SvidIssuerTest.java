package dev.signet.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class X509SvidIssuerTest {

    private static final SpiffeId CHECKOUT = SpiffeId.forServiceAccount("cluster.local", "shop", "checkout");

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final TestCa ca = TestCa.create(KeyType.EC_P256, clock);

    @Test
    void the_leaf_follows_the_x509_svid_spec() throws Exception {
        X509Svid svid = ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null);
        X509Certificate leaf = svid.leaf();
        X509CertificateHolder holder = new X509CertificateHolder(leaf.getEncoded());

        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, CHECKOUT.uri()));
        assertThat(holder.getExtension(Extension.subjectAlternativeName).isCritical())
                .isTrue();
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(holder.getExtension(Extension.basicConstraints).isCritical()).isTrue();
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
        assertThat(holder.getExtension(Extension.keyUsage).isCritical()).isTrue();
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");

        byte[] ski = SubjectKeyIdentifier.getInstance(
                        holder.getExtension(Extension.subjectKeyIdentifier).getParsedValue())
                .getKeyIdentifier();
        assertThat(ski).hasSize(20);
        byte[] aki = AuthorityKeyIdentifier.getInstance(
                        holder.getExtension(Extension.authorityKeyIdentifier).getParsedValue())
                .getKeyIdentifierObject()
                .getOctets();
        byte[] issuerSki = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                                ca.authority().signer().certificate().getExtensionValue("2.5.29.14"))
                        .getOctets())
                .getKeyIdentifier();
        assertThat(aki).isEqualTo(issuerSki);

        assertThat(leaf.getIssuerX500Principal())
                .isEqualTo(ca.authority().signer().certificate().getSubjectX500Principal());
        leaf.verify(ca.authority().signer().certificate().getPublicKey());
        assertThat(svid.chain()).hasSize(2);
        assertThat(svid.roots()).containsExactly(ca.authority().root().certificate());
    }

    @Test
    void rsa_leaves_also_get_key_encipherment() throws Exception {
        X509Certificate leaf =
                ca.ca().sign(Csrs.der(Csrs.rsa(2048)), CHECKOUT, null).leaf();
        assertThat(leaf.getKeyUsage()[0]).isTrue();
        assertThat(leaf.getKeyUsage()[2]).isTrue();
    }

    @Test
    void the_identity_comes_from_the_caller_never_from_the_csr() throws Exception {
        byte[] csr = Csrs.der(
                Csrs.ecP256(),
                "SHA256withECDSA",
                "CN=admin,O=system:masters",
                "spiffe://cluster.local/ns/kube-system/sa/admin");
        X509Certificate leaf = ca.ca().sign(csr, CHECKOUT, null).leaf();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, CHECKOUT.uri()));
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
    }

    @Test
    void validity_is_backdated_and_the_default_ttl_is_24_hours() throws Exception {
        X509Svid svid = ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null);
        Instant now = clock.instant();
        assertThat(svid.leaf().getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(5)));
        assertThat(svid.leaf().getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofHours(24)));
        assertThat(svid.notAfter()).isEqualTo(svid.leaf().getNotAfter().toInstant());
    }

    @Test
    void a_requested_ttl_is_honoured_and_one_above_the_cap_is_refused_not_clamped() throws Exception {
        X509Svid oneHour = ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, Duration.ofHours(1));
        assertThat(oneHour.leaf().getNotAfter().toInstant())
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, Duration.ofDays(8)))
                .isInstanceOfSatisfying(
                        CaException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TTL_EXCEEDS_MAXIMUM))
                .hasMessageContaining("TTL 8d exceeds")
                .hasMessageContaining("maximum of 7d");
        assertThatThrownBy(() -> ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, Duration.ofHours(-1)))
                .isInstanceOfSatisfying(
                        CaException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_TTL));
    }

    @Test
    void the_backdate_and_cap_are_configurable() throws Exception {
        IssuancePolicy policy = new IssuancePolicy(Duration.ofHours(1), Duration.ofHours(2), Duration.ofSeconds(30));
        TestCa custom = TestCa.create(KeyType.EC_P256, clock, policy);
        X509Svid svid = custom.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null);
        assertThat(svid.leaf().getNotBefore().toInstant())
                .isEqualTo(clock.instant().minusSeconds(30));
        assertThat(svid.leaf().getNotAfter().toInstant())
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> custom.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, Duration.ofHours(3)))
                .hasMessageContaining("maximum of 2h");
    }

    @Test
    void not_after_never_passes_the_signer() throws Exception {
        Instant signerEnd = ca.authority().signer().notAfter();
        clock.set(signerEnd.minus(Duration.ofHours(2)));
        X509Svid svid = ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, Duration.ofHours(24));
        assertThat(svid.leaf().getNotAfter().toInstant()).isEqualTo(signerEnd);
    }

    @Test
    void an_expired_signer_refuses_to_sign() {
        clock.set(ca.authority().signer().notAfter().plusSeconds(1));
        assertThatThrownBy(() -> ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null))
                .isInstanceOfSatisfying(
                        CaException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNER_NOT_VALID));
    }

    @Test
    void serials_are_random_positive_and_at_least_64_bits() throws Exception {
        Set<BigInteger> serials = new HashSet<>();
        int wide = 0;
        for (int i = 0; i < 200; i++) {
            BigInteger serial =
                    ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null).leaf().getSerialNumber();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(127);
            if (serial.bitLength() > 64) {
                wide++;
            }
            serials.add(serial);
        }
        assertThat(serials).hasSize(200);
        assertThat(wide).isGreaterThan(190);
    }

    @Test
    void identities_outside_the_trust_domain_are_refused() {
        assertThatThrownBy(() -> ca.ca()
                        .sign(
                                Csrs.der(Csrs.ecP256()),
                                SpiffeId.forServiceAccount("evil.org", "shop", "checkout"),
                                null))
                .isInstanceOfSatisfying(
                        CaException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUST_DOMAIN_MISMATCH))
                .hasMessageContaining("evil.org");
    }

    @Test
    void the_trust_domain_itself_is_never_a_leafs_identity() {
        assertThatThrownBy(() -> ca.ca()
                        .sign(Csrs.der(Csrs.ecP256()), SpiffeId.parse("spiffe://" + CHECKOUT.trustDomain()), null))
                .isInstanceOfSatisfying(
                        CaException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SPIFFE_ID))
                .hasMessageContaining("needs a path");
    }

    @Test
    void each_issued_leaf_is_in_the_inventory() {
        X509Svid svid = ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, Duration.ofHours(1));
        String authority = ca.authority().signer().rootFingerprint();
        assertThat(svid.authorityId()).isEqualTo(authority);
        assertThat(ca.ca().leaves().inUseUnder(authority, clock.instant(), 0).total())
                .isEqualTo(1);
        assertThat(ca.ca()
                        .leaves()
                        .inUseUnder(authority, clock.instant().plus(Duration.ofHours(2)), 0)
                        .total())
                .isZero();
    }

    @Test
    void refused_requests_leave_no_trace_in_the_inventory() {
        assertThatThrownBy(() -> ca.ca().sign(Csrs.der(Csrs.rsa(1024)), CHECKOUT, null))
                .isInstanceOf(CaException.class);
        assertThat(ca.ca().leaves().size()).isZero();
    }
}
