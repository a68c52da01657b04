package dev.signet.ca.issue;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.crypto.CertificateTimes;
import dev.signet.ca.crypto.ContentSigners;
import dev.signet.ca.crypto.CryptoProviders;
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
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Builds and signs X509-SVIDs (SPIFFE X509-SVID spec): an empty subject with exactly one URI SAN, the SPIFFE ID,
 * marked critical; CA=false; digitalSignature (and keyEncipherment for RSA keys); serverAuth and clientAuth;
 * subject and authority key identifiers; a random 127-bit serial; validity backdated for skew and never past
 * the signer's own. Thread-safe.
 */
public final class X509SvidIssuer {

    private static final X500Name EMPTY_SUBJECT = new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
    private static final ExtendedKeyUsage SERVER_AND_CLIENT =
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
    private static final BasicConstraints NOT_A_CA = new BasicConstraints(false);

    private final IssuancePolicy policy;
    private final CryptoProviders providers;
    private final Clock clock;
    private final SecureRandom random;

    public X509SvidIssuer(IssuancePolicy policy, CryptoProviders providers, Clock clock, SecureRandom random) {
        this.policy = policy;
        this.providers = providers;
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
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                signer.subject(),
                serial,
                CertificateTimes.of(notBefore),
                CertificateTimes.of(notAfter),
                EMPTY_SUBJECT,
                csr.publicKey());
        try {
            builder.addExtension(Extension.subjectAlternativeName, true, subjectAlternativeNames(id, serverNames));
            builder.addExtension(Extension.basicConstraints, true, NOT_A_CA);
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(
                            csr.keyKind().usesKeyEncipherment()
                                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                                    : KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, SERVER_AND_CLIENT);
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new SubjectKeyIdentifier(KeyIdentifiers.of(csr.publicKey())));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(signer.keyIdentifier()));
            byte[] der = builder.build(
                            ContentSigners.create(providers, signer.signatureAlgorithm(), signer.signingKey()))
                    .getEncoded();
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
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    private static GeneralNames subjectAlternativeNames(SpiffeId id, ServerNames serverNames) {
        java.util.List<GeneralName> names = new java.util.ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.uri()));
        serverNames.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        serverNames.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return new GeneralNames(names.toArray(new GeneralName[0]));
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
