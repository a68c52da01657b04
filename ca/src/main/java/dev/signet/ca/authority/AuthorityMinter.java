package dev.signet.ca.authority;

import dev.signet.ca.crypto.ContentSigners;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyIdentifiers;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.crypto.SerialNumbers;
import dev.signet.ca.crypto.SignatureAlgorithmForKey;
import dev.signet.ca.spiffe.SpiffeId;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Creates self-signed roots and the intermediates under them. Names carry a short key id so that the roots of a
 * rotation (old and new, same trust domain) never share a subject, which would confuse path building.
 */
public final class AuthorityMinter {

    public static final Duration DEFAULT_ROOT_VALIDITY = Duration.ofDays(3650);
    public static final Duration DEFAULT_INTERMEDIATE_VALIDITY = Duration.ofDays(365);
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final CryptoProviders providers;
    private final Clock clock;
    private final SecureRandom random;

    public AuthorityMinter(CryptoProviders providers, Clock clock, SecureRandom random) {
        this.providers = providers;
        this.clock = clock;
        this.random = random;
    }

    /** A root and an intermediate under it, with the default validities. */
    public MintedAuthority mint(String trustDomain, KeyType keyType) {
        return mint(trustDomain, keyType, DEFAULT_ROOT_VALIDITY, DEFAULT_INTERMEDIATE_VALIDITY);
    }

    public MintedAuthority mint(
            String trustDomain, KeyType keyType, Duration rootValidity, Duration intermediateValidity) {
        CertifiedKey root = newRoot(trustDomain, keyType, rootValidity);
        CertifiedKey intermediate = newIntermediate(root, trustDomain, keyType, intermediateValidity);
        return new MintedAuthority(root, SigningAuthority.of(intermediate, List.of(), root.certificate(), providers));
    }

    public CertifiedKey newRoot(String trustDomain, KeyType keyType, Duration validity) {
        SpiffeId.requireTrustDomain(trustDomain);
        KeyPair keys = keyType.generate(providers, random);
        SubjectPublicKeyInfo publicKey =
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        byte[] keyId = KeyIdentifiers.of(publicKey);
        X500Name name = name(trustDomain, "Signet Root CA", keyId);
        Instant now = clock.instant();
        X509v3CertificateBuilder builder = builder(name, name, publicKey, now, now.plus(validity));
        addCaExtensions(builder, trustDomain, keyId, keyId, -1);
        return new CertifiedKey(sign(builder, keys.getPublic(), keys.getPrivate()), keys.getPrivate());
    }

    /** An intermediate that may sign leaves only (path length 0); it never outlives its parent. */
    public CertifiedKey newIntermediate(CertifiedKey parent, String trustDomain, KeyType keyType, Duration validity) {
        SpiffeId.requireTrustDomain(trustDomain);
        KeyPair keys = keyType.generate(providers, random);
        SubjectPublicKeyInfo publicKey =
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        byte[] keyId = KeyIdentifiers.of(publicKey);
        X500Name issuer = X500Name.getInstance(
                parent.certificate().getSubjectX500Principal().getEncoded());
        Instant now = clock.instant();
        Instant notAfter =
                min(now.plus(validity), parent.certificate().getNotAfter().toInstant());
        X509v3CertificateBuilder builder =
                builder(issuer, name(trustDomain, "Signet Intermediate CA", keyId), publicKey, now, notAfter);
        addCaExtensions(builder, trustDomain, keyId, KeyIdentifiers.of(parent.certificate()), 0);
        return new CertifiedKey(
                sign(builder, parent.certificate().getPublicKey(), parent.privateKey()), keys.getPrivate());
    }

    /**
     * {@code newRoot}'s name and key, certified by {@code oldRoot}: put after a new intermediate in a leaf's chain,
     * it lets a peer that still trusts only the old root verify leaves signed under the new one. It lives no longer
     * than either root.
     */
    public X509Certificate crossSign(CertifiedKey oldRoot, X509Certificate newRoot) {
        SubjectPublicKeyInfo publicKey =
                SubjectPublicKeyInfo.getInstance(newRoot.getPublicKey().getEncoded());
        X500Name issuer = X500Name.getInstance(
                oldRoot.certificate().getSubjectX500Principal().getEncoded());
        X500Name subject =
                X500Name.getInstance(newRoot.getSubjectX500Principal().getEncoded());
        Instant now = clock.instant();
        Instant notAfter = min(
                newRoot.getNotAfter().toInstant(),
                oldRoot.certificate().getNotAfter().toInstant());
        X509v3CertificateBuilder builder = builder(issuer, subject, publicKey, now, notAfter);
        String trustDomain = CaCertificates.trustDomain(newRoot)
                .orElseThrow(() -> new IllegalArgumentException("the new root names no spiffe:// trust domain"));
        addCaExtensions(builder, trustDomain, KeyIdentifiers.of(newRoot), KeyIdentifiers.of(oldRoot.certificate()), 1);
        return sign(builder, oldRoot.certificate().getPublicKey(), oldRoot.privateKey());
    }

    private X509v3CertificateBuilder builder(
            X500Name issuer, X500Name subject, SubjectPublicKeyInfo key, Instant now, Instant notAfter) {
        return new X509v3CertificateBuilder(
                issuer, SerialNumbers.next(random), Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, key);
    }

    private static void addCaExtensions(
            X509v3CertificateBuilder builder, String trustDomain, byte[] keyId, byte[] issuerKeyId, int pathLength) {
        try {
            builder.addExtension(
                    Extension.basicConstraints,
                    true,
                    pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(issuerKeyId));
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(
                            GeneralName.uniformResourceIdentifier, SpiffeId.SCHEME_PREFIX + trustDomain)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode CA extensions", e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, PublicKey issuerPublicKey, PrivateKey issuerKey) {
        String algorithm = SignatureAlgorithmForKey.of(issuerPublicKey);
        try {
            return Pem.certificate(builder.build(ContentSigners.create(providers, algorithm, issuerKey))
                    .getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a CA certificate", e);
        }
    }

    private static X500Name name(String trustDomain, String role, byte[] keyId) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, trustDomain)
                .addRDN(BCStyle.CN, role + " " + HexFormat.of().formatHex(keyId, 0, 4))
                .build();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
