package dev.signet.controlplane.rotation;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.CertifiedKey;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.bundle.TrustBundle;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The authorities this replica holds for a rotation: the CA in use, the other one while a rotation holds one, and
 * the cross-signed links between them; and what a rotation's phase makes of them: who signs, which roots the bundle
 * carries, whose leaves the phase replaces. Not thread-safe: {@link RotationController}'s lock guards it.
 */
final class HeldAuthorities {

    private final AuthorityMinter minter;
    /** The CA in use before any rotation: {@code ca/} or the CA Secret. */
    private CaDirectory.Contents current;
    /** The other authority while a rotation holds one. */
    private Optional<CaDirectory.Contents> candidate;
    /** Cross-signed certificates, by "issuer fingerprint > subject fingerprint". */
    private final Map<String, X509Certificate> crossSigned = new HashMap<>();

    HeldAuthorities(CaDirectory.Contents current, Optional<CaDirectory.Contents> candidate, AuthorityMinter minter) {
        this.current = current;
        this.candidate = candidate;
        this.minter = minter;
    }

    CaDirectory.Contents current() {
        return current;
    }

    /** Replaces the CA in use outright: a new issuer under the same root, which needs no phase. */
    void replaceCurrent(CaDirectory.Contents next) {
        current = next;
    }

    /** Holds {@code next} (or, empty, nothing) beside the CA in use; cross-signed links are made afresh. */
    void holdCandidate(Optional<CaDirectory.Contents> next) {
        candidate = next;
        crossSigned.clear();
    }

    /** Whether a candidate is held: a rotation in progress, or one that completed before its clean-up did. */
    boolean holdsCandidate() {
        return candidate.isPresent();
    }

    /** Whether the held candidate is the CA for {@code rootFingerprint}. */
    boolean isCandidate(String rootFingerprint) {
        return candidate
                .map(c -> c.signer().rootFingerprint().equals(rootFingerprint))
                .orElse(false);
    }

    /** A rotation ended in {@code toRoot}: the candidate becomes the CA in use if it is that root's, and is let go. */
    void endRotationIn(String toRoot) {
        if (isCandidate(toRoot)) {
            current = candidate.orElseThrow();
        }
        holdCandidate(Optional.empty());
    }

    /** Whether both of {@code r}'s authorities are loaded here. */
    boolean holdsBoth(RootRotation r) {
        return find(r.fromRoot()).isPresent() && find(r.toRoot()).isPresent();
    }

    Optional<CaDirectory.Contents> find(String rootFingerprint) {
        if (current.signer().rootFingerprint().equals(rootFingerprint)) {
            return Optional.of(current);
        }
        return candidate.filter(c -> c.signer().rootFingerprint().equals(rootFingerprint));
    }

    /** Who signs in {@code r}'s phase. */
    SigningAuthority signerFor(RootRotation r) {
        SigningAuthority signer = require(r.signingRoot()).signer();
        if (r.phase() != RotationPhase.ACTIVATE
                || require(r.fromRoot()).rootKey().isEmpty()) {
            return signer;
        }
        // Leaves under the new root carry it cross-signed by the old one, for peers that still trust only the old.
        return crossLinked(r);
    }

    /**
     * The bundle of {@code r}'s phase: the roots it trusts and their JWT-SVID keys, at its version. A key is thus
     * published from PREPARE, signs from ACTIVATE (with its root), and leaves with its root in RETIRE.
     */
    TrustBundle bundleFor(RootRotation r) {
        return TrustBundle.of(
                r.bundleVersion(),
                r.trustedRoots().stream().map(fp -> require(fp).signer()).toList());
    }

    /** The authority whose leaves {@code r}'s phase replaces: the old root's in ACTIVATE, the cross-linked in RETIRE. */
    Optional<String> replacedIn(RootRotation r) {
        return switch (r.phase()) {
            case ACTIVATE -> Optional.of(r.fromRoot());
            case RETIRE -> crossLinkedId(r);
            case PREPARE, COMPLETE -> Optional.empty();
        };
    }

    /** The inventory id of leaves signed in {@code r}'s ACTIVATE, if their chains carried a cross-signed link. */
    Optional<String> crossLinkedId(RootRotation r) {
        if (find(r.fromRoot()).flatMap(CaDirectory.Contents::rootKey).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(crossLinked(r).authorityId());
    }

    /** The new root's signer with the new root cross-signed by the old root's key (which must be there). */
    private SigningAuthority crossLinked(RootRotation r) {
        SigningAuthority signer = require(r.toRoot()).signer();
        CaDirectory.Contents old = require(r.fromRoot());
        X509Certificate cross = crossSigned.computeIfAbsent(
                r.fromRoot() + ">" + r.toRoot(),
                key -> minter.crossSign(
                        new CertifiedKey(old.signer().root(), old.rootKey().orElseThrow()), signer.root()));
        return signer.withCrossSigned(cross);
    }

    private CaDirectory.Contents require(String rootFingerprint) {
        return find(rootFingerprint)
                .orElseThrow(() -> new IllegalStateException("no CA for root " + rootFingerprint + " is loaded"));
    }
}
