package dev.signet.ca;

import dev.signet.ca.CaException.Reason;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.csr.CsrValidator;
import dev.signet.ca.csr.ValidatedCsr;
import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.inventory.LeafInventory;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.issue.ServerNames;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.issue.X509SvidIssuer;
import dev.signet.ca.spiffe.SpiffeId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The CA's one operation: sign a CSR for an identity that the caller's authenticator decided. Checks the identity
 * belongs to this trust domain, validates the CSR, signs with whichever authority is active now, and records the
 * leaf in the inventory. Thread-safe.
 */
public final class CertificateAuthority {

    private final String trustDomain;
    private final Supplier<SigningAuthority> activeSigner;
    private final CsrValidator validator;
    private final X509SvidIssuer issuer;
    private final LeafInventory inventory;

    public CertificateAuthority(String trustDomain, Supplier<SigningAuthority> activeSigner, CsrValidator validator,
                                X509SvidIssuer issuer, LeafInventory inventory) {
        this.trustDomain = SpiffeId.requireTrustDomain(trustDomain);
        this.activeSigner = Objects.requireNonNull(activeSigner, "activeSigner");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
    }

    /** A CA with one fixed signer and the default key policy and CSR size limit. */
    public static CertificateAuthority withSigner(String trustDomain, SigningAuthority signer, CryptoProviders providers,
                                                  IssuancePolicy policy, Clock clock, SecureRandom random) {
        return new CertificateAuthority(trustDomain, () -> signer, new CsrValidator(providers),
                new X509SvidIssuer(policy, providers, clock, random), new LeafInventory());
    }

    /**
     * Signs {@code csr} (PEM or DER) for {@code identity}; whatever subject or SANs the CSR asks for are ignored.
     * {@code ttl} may be null for the default.
     */
    public X509Svid sign(byte[] csr, SpiffeId identity, Duration ttl) {
        requireMember(identity);
        return issue(validator.validate(csr), identity, ttl, ServerNames.NONE);
    }

    /**
     * Certifies a key this process generated itself (the control plane's serving certificate), with DNS and IP
     * SANs beside the SPIFFE ID. The key still passes the key policy; the leaf is recorded like any other.
     */
    public X509Svid signServing(java.security.PublicKey key, SpiffeId identity, Duration ttl, ServerNames names) {
        requireMember(identity);
        return issue(validator.keyPolicy().check(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded())),
                identity, ttl, names);
    }

    private void requireMember(SpiffeId identity) {
        if (!identity.isMemberOf(trustDomain)) {
            throw new CaException(Reason.TRUST_DOMAIN_MISMATCH, "this CA issues for trust domain \"" + trustDomain
                    + "\", not for " + identity);
        }
    }

    /** Signs with whichever authority is active now and records the leaf. */
    private X509Svid issue(ValidatedCsr key, SpiffeId identity, Duration ttl, ServerNames names) {
        SigningAuthority signer = activeSigner.get();
        if (signer == null) {
            throw new CaException(Reason.NO_ACTIVE_AUTHORITY, "no authority is active; the CA cannot sign now");
        }
        X509Svid svid = issuer.issue(signer, key, identity, ttl, names);
        inventory.record(new IssuedLeaf(svid.serial(), identity, svid.authorityId(), svid.notAfter()));
        return svid;
    }

    public String trustDomain() {
        return trustDomain;
    }

    public LeafInventory inventory() {
        return inventory;
    }
}
