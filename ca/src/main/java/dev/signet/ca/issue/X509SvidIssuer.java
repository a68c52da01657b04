package dev.signet.ca.issue;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.crypto.CertificateTimes;
import dev.signet.ca.crypto.KeyIdentifiers;
import dev.signet.ca.crypto.SerialNumbers;
import dev.signet.ca.csr.ValidatedCsr;
import dev.signet.ca.spiffe.SpiffeId;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;

/**
 * Builds and signs X509-SVIDs (SPIFFE X509-SVID spec): an empty subject with exactly one URI SAN, the SPIFFE ID,
 * marked critical; CA=false; digitalSignature (and keyEncipherment for RSA keys); serverAuth and clientAuth;
 * subject and authority key identifiers; a random 127-bit serial; validity backdated for skew and never past
 * the signer's own. Thread-safe.
 */
public final class X509SvidIssuer {

    private static final X500Name EMPTY_SUBJECT = new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
    // The extensions every leaf carries alike, encoded once.
    private static final Extension SERVER_AND_CLIENT =
            extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
    private static final Extension NOT_A_CA = extension(Extension.basicConstraints, true, new BasicConstraints(false));
    private static final Extension SIGNING_ONLY =
            extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    private static final Extension SIGNING_AND_KEY_ENCIPHERMENT =
            extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));

    private final IssuancePolicy policy;
    private final Clock clock;
    private final SecureRandom random;

    public X509SvidIssuer(IssuancePolicy policy, Clock clock, SecureRandom random) {
        this.policy = policy;
        this.clock = clock;
        this.random = random;
    }

    public IssuancePolicy policy() {
        return policy;
    }

    /** Issues a leaf for {@code id} over the CSR's key; {@code requestedTtl} may be null for the default. */
    public X509Svid issue(SigningAuthority signer, ValidatedCsr csr, SpiffeId id, Duration requestedTtl) {
        return issue(signer, csr, id, requestedTtl, ServerNames.NONE);
    }

    /** As {@link #issue(SigningAuthority, ValidatedCsr, SpiffeId, Duration)}, with DNS and IP SANs for a server. */
    public X509Svid issue(
            SigningAuthority signer, ValidatedCsr csr, SpiffeId id, Duration requestedTtl, ServerNames serverNames) {
        Duration ttl = policy.ttlFor(requestedTtl);
        Instant now = clock.instant();
        if (!now.isBefore(signer.notAfter()) || now.isBefore(signer.notBefore())) {
            throw new CaException(
                    Reason.SIGNER_NOT_VALID,
                    "the signing certificate is valid from " + signer.notBefore() + " to " + signer.notAfter()
                            + ", not at " + now);
        }
        Instant notBefore = max(now.minus(policy.backdate()), signer.notBefore());
        Instant notAfter = min(now.plus(ttl), signer.notAfter());
        BigInteger serial = SerialNumbers.next(random);
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(serial));
        tbs.setSignature(signer.certificateSigner().algorithmIdentifier());
        tbs.setIssuer(signer.subject());
        tbs.setStartDate(CertificateTimes.of(notBefore));
        tbs.setEndDate(CertificateTimes.of(notAfter));
        tbs.setSubject(EMPTY_SUBJECT);
        tbs.setSubjectPublicKeyInfo(csr.publicKey());
        tbs.setExtensions(new Extensions(new Extension[] {
            extension(Extension.subjectAlternativeName, true, subjectAlternativeNames(id, serverNames)),
            NOT_A_CA,
            csr.keyKind().usesKeyEncipherment() ? SIGNING_AND_KEY_ENCIPHERMENT : SIGNING_ONLY,
            SERVER_AND_CLIENT,
            extension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new SubjectKeyIdentifier(KeyIdentifiers.of(csr.publicKey()))),
            extension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(signer.keyIdentifier()))
        }));
        byte[] der = signer.certificateSigner().sign(tbs.generateTBSCertificate());
        // Certificate validity has one-second resolution; report what the certificate says.
        return new X509Svid(
                id,
                serial,
                truncate(notBefore),
                truncate(notAfter),
                der,
                signer.chain(),
                signer.chainPem(),
                List.of(signer.root()),
                signer.authorityId());
    }

    private static GeneralNames subjectAlternativeNames(SpiffeId id, ServerNames serverNames) {
        java.util.List<GeneralName> names = new java.util.ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.uri()));
        serverNames.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        serverNames.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static Extension extension(ASN1ObjectIdentifier id, boolean critical, ASN1Encodable value) {
        try {
            return new Extension(id, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode extension " + id, e);
        }
    }

    private static Instant truncate(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
