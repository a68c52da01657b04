package dev.signet.ca;

import dev.signet.ca.CaException.Reason;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.csr.CsrValidator;
import dev.signet.ca.csr.ValidatedCsr;
import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.inventory.IssuedLeaves;
import dev.signet.ca.inventory.LeafInventory;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.issue.ServerNames;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.issue.X509SvidIssuer;
import dev.signet.ca.jwt.JwtSvid;
import dev.signet.ca.jwt.JwtSvidIssuer;
import dev.signet.ca.jwt.JwtSvidLedger;
import dev.signet.ca.spiffe.SpiffeId;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The CA's one operation: sign a CSR for an identity that the caller's authenticator decided. Checks the identity
 * belongs to this trust domain, validates the CSR, signs with whichever authority is active now, and records the
 * leaf in the inventory, with the leaf it replaces. It is the inventory's only writer: others read it through
 * {@link #leaves()}. Thread-safe.
 */
public final class CertificateAuthority {

    private final String trustDomain;
    private final Supplier<SigningAuthority> activeSigner;
    private final CsrValidator validator;
    private final X509SvidIssuer issuer;
    private final LeafInventory inventory;
    private final JwtSvidIssuer jwtIssuer;
    private final JwtSvidLedger jwtSvids;

    public CertificateAuthority(
            String trustDomain,
            Supplier<SigningAuthority> activeSigner,
            CsrValidator validator,
            X509SvidIssuer issuer,
            LeafInventory inventory,
            JwtSvidIssuer jwtIssuer,
            JwtSvidLedger jwtSvids) {
        this.trustDomain = SpiffeId.requireTrustDomain(trustDomain);
        this.activeSigner = Objects.requireNonNull(activeSigner, "activeSigner");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.jwtIssuer = Objects.requireNonNull(jwtIssuer, "jwtIssuer");
        this.jwtSvids = Objects.requireNonNull(jwtSvids, "jwtSvids");
    }

    /** A CA with one fixed signer and the default key policy and CSR size limit. */
    public static CertificateAuthority withSigner(
            String trustDomain,
            SigningAuthority signer,
            CryptoProviders providers,
            IssuancePolicy policy,
            Clock clock,
            SecureRandom random) {
        return new CertificateAuthority(
                trustDomain,
                () -> signer,
                new CsrValidator(providers),
                new X509SvidIssuer(policy, clock, random),
                new LeafInventory(),
                new JwtSvidIssuer(clock, JwtSvidIssuer.DEFAULT_TTL, new com.fasterxml.jackson.databind.ObjectMapper()),
                new JwtSvidLedger());
    }

    /**
     * Signs {@code csr} (PEM or DER) for {@code identity}; whatever subject or SANs the CSR asks for are ignored.
     * {@code ttl} may be null for the default.
     */
    public X509Svid sign(byte[] csr, SpiffeId identity, Duration ttl) {
        return sign(csr, identity, ttl, Optional.empty());
    }

    /**
     * {@link #sign(byte[], SpiffeId, Duration)} for a renewal: the new leaf replaces {@code replaces}, which is out of
     * use from now on, if it is the identity's own (a caller can give up no one else's leaf).
     */
    public X509Svid sign(byte[] csr, SpiffeId identity, Duration ttl, Optional<BigInteger> replaces) {
        requireMember(identity);
        X509Svid svid = issue(validator.validate(csr), identity, ttl, ServerNames.NONE);
        replaces.ifPresent(serial -> inventory.replace(identity, serial, svid.serial()));
        return svid;
    }

    /**
     * Certifies a key this process generated itself (the control plane's serving certificate), with DNS and IP
     * SANs beside the SPIFFE ID. The key still passes the key policy; the leaf is recorded like any other, and it
     * replaces every earlier one of the identity: a process serves with one certificate at a time, and those of an
     * earlier run are gone with it.
     */
    public X509Svid signServing(java.security.PublicKey key, SpiffeId identity, Duration ttl, ServerNames names) {
        requireMember(identity);
        X509Svid svid = issue(
                validator
                        .keyPolicy()
                        .check(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded())),
                identity,
                ttl,
                names);
        inventory.supersedeAllBut(identity, svid.serial());
        return svid;
    }

    /**
     * Signs a JWT-SVID for {@code identity} naming {@code audience}, with the JWT key of whichever authority is active
     * now: in a root rotation that is the new root's from ACTIVATE on, whose key the bundle has carried since PREPARE.
     */
    public JwtSvid signJwt(SpiffeId identity, List<String> audience) {
        requireMember(identity);
        SigningAuthority signer = activeSigner();
        JwtSvid svid = jwtIssuer.issue(signer.jwtKey(), identity, audience);
        jwtSvids.record(signer.rootFingerprint(), svid.expiresAt());
        return svid;
    }

    /** Until when JWT-SVIDs signed under each root may be valid. */
    public JwtSvidLedger jwtSvids() {
        return jwtSvids;
    }

    /** How long each JWT-SVID lives. */
    public Duration jwtSvidTtl() {
        return jwtIssuer.ttl();
    }

    /** Forgets the leaves expired at {@code t}; returns how many. */
    public int forgetExpired(Instant t) {
        return inventory.prune(t);
    }

    private void requireMember(SpiffeId identity) {
        if (identity.path().isEmpty()) {
            // The X509-SVID specification: a leaf names a workload, never the trust domain itself.
            throw new CaException(
                    Reason.INVALID_SPIFFE_ID,
                    "a leaf's SPIFFE ID needs a path (spiffe://" + identity.trustDomain() + "/...): " + identity
                            + " names the trust domain itself");
        }
        if (!identity.isMemberOf(trustDomain)) {
            throw new CaException(
                    Reason.TRUST_DOMAIN_MISMATCH,
                    "this CA issues for trust domain \"" + trustDomain + "\", not for " + identity);
        }
    }

    /** Signs with whichever authority is active now and records the leaf. */
    private X509Svid issue(ValidatedCsr key, SpiffeId identity, Duration ttl, ServerNames names) {
        SigningAuthority signer = activeSigner();
        X509Svid svid = issuer.issue(signer, key, identity, ttl, names);
        inventory.record(new IssuedLeaf(svid.serial(), identity, svid.authorityId(), svid.notAfter()));
        return svid;
    }

    private SigningAuthority activeSigner() {
        SigningAuthority signer = activeSigner.get();
        if (signer == null) {
            throw new CaException(Reason.NO_ACTIVE_AUTHORITY, "no authority is active; the CA cannot sign now");
        }
        return signer;
    }

    public String trustDomain() {
        return trustDomain;
    }

    /** The leaves issued, read only. */
    public IssuedLeaves leaves() {
        return inventory;
    }
}
