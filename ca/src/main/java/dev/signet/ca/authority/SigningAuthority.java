package dev.signet.ca.authority;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.crypto.CertificateSigner;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.KeyFit;
import dev.signet.ca.crypto.KeyIdentifiers;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.crypto.SignatureAlgorithmForKey;
import dev.signet.ca.jwt.JwtSigningKey;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * The CA certificate that signs leaves, its key, and its chain up to a root; checked when built (the key fits the
 * certificate, the certificate may sign certificates, every link verifies, the root is self-signed) and holding
 * what issuance needs precomputed.
 */
public final class SigningAuthority {

    private final CertifiedKey signer;
    private final PrivateKey signingKey;
    private final List<X509Certificate> intermediates;
    private final X509Certificate root;
    private final String rootFingerprint;
    private final String authorityId;
    private final X500Name subject;
    private final byte[] keyIdentifier;
    private final String signatureAlgorithm;
    private final CertificateSigner certificateSigner;
    private final List<X509Certificate> chain;
    private final String chainPem;
    private final Optional<String> trustDomain;
    private final CryptoProviders providers;
    /** What the JWT-SVID key derives from: the root's key when held (it outlives issuer rotations), else the signer's. */
    private final PrivateKey jwtSecret;

    private final List<X509Certificate> crossSigned;

    private volatile JwtSigningKey jwtKey;

    private SigningAuthority(
            CertifiedKey signer,
            List<X509Certificate> intermediates,
            X509Certificate root,
            List<X509Certificate> crossSigned,
            CryptoProviders providers,
            PrivateKey jwtSecret) {
        this.signer = signer;
        this.jwtSecret = jwtSecret;
        this.crossSigned = List.copyOf(crossSigned);
        this.intermediates = List.copyOf(intermediates);
        this.root = root;
        this.signingKey = providers.signingKey(signer.privateKey());
        this.rootFingerprint = Fingerprints.sha256(root);
        this.authorityId = crossSigned.isEmpty()
                ? rootFingerprint
                : AuthorityIds.crossLinked(
                        rootFingerprint, Fingerprints.sha256(crossSigned.get(0)).substring(0, 16));
        this.subject = X500Name.getInstance(
                signer.certificate().getSubjectX500Principal().getEncoded());
        this.keyIdentifier = KeyIdentifiers.of(signer.certificate());
        this.signatureAlgorithm =
                SignatureAlgorithmForKey.of(signer.certificate().getPublicKey());
        this.certificateSigner = new CertificateSigner(providers, signatureAlgorithm, signingKey);
        List<X509Certificate> chainToRoot = new ArrayList<>();
        if (!isSelfSigned(signer.certificate())) {
            chainToRoot.add(signer.certificate());
            chainToRoot.addAll(this.intermediates);
        }
        chainToRoot.addAll(crossSigned);
        this.providers = providers;
        this.chain = List.copyOf(chainToRoot);
        this.chainPem = Pem.encode(chain);
        this.trustDomain = CaCertificates.trustDomain(signer.certificate()).or(() -> CaCertificates.trustDomain(root));
    }

    /**
     * Builds and checks a signing authority. {@code intermediates} are the certificates between the signer and
     * the root, the signer's issuer first; the signer may be the root itself.
     */
    public static SigningAuthority of(
            CertifiedKey signer, List<X509Certificate> intermediates, X509Certificate root, CryptoProviders providers) {
        checkKeyFits(signer, providers, "signing");
        checkMayIssue(signer.certificate(), "the signing certificate");
        intermediates.forEach(certificate -> checkMayIssue(certificate, "an intermediate certificate"));
        checkMayIssue(root, "the root certificate");
        if (!isSelfSigned(root)) {
            throw invalid(
                    "the root certificate (" + root.getSubjectX500Principal().getName() + ") is not self-signed");
        }
        List<X509Certificate> path = new ArrayList<>();
        path.add(signer.certificate());
        path.addAll(intermediates);
        if (!path.get(path.size() - 1).equals(root)) {
            path.add(root);
        }
        for (int i = 0; i + 1 < path.size(); i++) {
            checkSignedBy(path.get(i), path.get(i + 1));
        }
        return new SigningAuthority(signer, intermediates, root, List.of(), providers, signer.privateKey());
    }

    /**
     * This authority with {@code crossSigned} (its root's name and key, certified by another root) sent after its
     * intermediates in every chain: during a root rotation, a peer that trusts only the old root still verifies.
     * The authority's identity (its root) is unchanged.
     */
    public SigningAuthority withCrossSigned(X509Certificate crossSigned) {
        if (!crossSigned.getSubjectX500Principal().equals(root.getSubjectX500Principal())
                || !Arrays.equals(
                        crossSigned.getPublicKey().getEncoded(),
                        root.getPublicKey().getEncoded())) {
            throw invalid("the cross-signed certificate is not for this authority's root "
                    + root.getSubjectX500Principal().getName());
        }
        checkMayIssue(crossSigned, "the cross-signed root certificate");
        return new SigningAuthority(signer, intermediates, root, List.of(crossSigned), providers, jwtSecret);
    }

    /**
     * This authority with its JWT-SVID key derived from {@code rootKey}, the root's key: the key then stays the same
     * when the issuer under the root is replaced, which no phase announces to validators.
     */
    public SigningAuthority withRootKey(PrivateKey rootKey) {
        checkKeyFits(new CertifiedKey(root, rootKey), providers, "root");
        return new SigningAuthority(signer, intermediates, root, crossSigned, providers, rootKey);
    }

    /** The key this authority signs JWT-SVIDs with; derived on first use. */
    public JwtSigningKey jwtKey() {
        JwtSigningKey key = jwtKey;
        if (key == null) {
            key = JwtSigningKey.derivedFrom(jwtSecret, providers);
            jwtKey = key;
        }
        return key;
    }

    public X509Certificate certificate() {
        return signer.certificate();
    }

    /**
     * What the leaf inventory files leaves under: the root's fingerprint, with the cross-signed link when chains
     * carry one. Such leaves also chain to the root that cross-signed, so a rotation counts them apart: they must
     * be gone before it completes, or a leaf would still lead to the retired root.
     */
    public String authorityId() {
        return authorityId;
    }

    /** The key as imported into the signing provider. */
    public PrivateKey signingKey() {
        return signingKey;
    }

    public CertifiedKey certifiedKey() {
        return signer;
    }

    /** Certificates between the signer and the root, the signer's issuer first. */
    public List<X509Certificate> intermediates() {
        return intermediates;
    }

    public X509Certificate root() {
        return root;
    }

    /** SHA-256 of the root: the authority's identity in bundles, the inventory and rotation. */
    public String rootFingerprint() {
        return rootFingerprint;
    }

    public X500Name subject() {
        return subject;
    }

    public byte[] keyIdentifier() {
        return keyIdentifier.clone();
    }

    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** Signs certificates under this authority with {@link #signingKey()}. */
    public CertificateSigner certificateSigner() {
        return certificateSigner;
    }

    public Instant notBefore() {
        return signer.certificate().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return signer.certificate().getNotAfter().toInstant();
    }

    /** What follows a leaf in its chain: the signer and its intermediates, never the root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public String chainPem() {
        return chainPem;
    }

    /** The trust domain named by a {@code spiffe://td} URI SAN on the signer or root, when there is one. */
    public Optional<String> trustDomain() {
        return trustDomain;
    }

    @Override
    public String toString() {
        return "SigningAuthority[" + subject + ", root " + rootFingerprint.substring(0, 16) + "]";
    }

    private static void checkKeyFits(CertifiedKey signer, CryptoProviders providers, String role) {
        boolean fits;
        try {
            fits = KeyFit.fits(signer.privateKey(), signer.certificate().getPublicKey(), providers.bouncyCastle());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw invalid("the private key does not fit the " + role + " certificate: " + e.getMessage());
        }
        if (!fits) {
            throw invalid("the private key does not belong to the " + role + " certificate ("
                    + signer.certificate().getSubjectX500Principal().getName() + ")");
        }
    }

    private static void checkMayIssue(X509Certificate certificate, String role) {
        String name = certificate.getSubjectX500Principal().getName();
        if (certificate.getBasicConstraints() < 0) {
            throw invalid(role + " (" + name + ") is not a CA certificate (basicConstraints CA is not true)");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length < 6 || !usage[5])) {
            throw invalid(role + " (" + name + ") lacks the keyCertSign key usage");
        }
    }

    private static void checkSignedBy(X509Certificate child, X509Certificate issuer) {
        try {
            child.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw invalid(
                    "the chain is broken: " + child.getSubjectX500Principal().getName() + " is not signed by "
                            + issuer.getSubjectX500Principal().getName());
        }
    }

    static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static CaException invalid(String message) {
        return new CaException(Reason.INVALID_AUTHORITY, message);
    }
}
