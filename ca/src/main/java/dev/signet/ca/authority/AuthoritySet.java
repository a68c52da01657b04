package dev.signet.ca.authority;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.bundle.TrustBundle;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The authorities of one trust domain and the trust bundle they imply. Immutable. It keeps the invariant that
 * rotation depends on: at most one authority signs at any moment; activating one retires the signer in the
 * same step. The bundle holds every root not RETIRED, and its version moves on whenever that set changes.
 */
public final class AuthoritySet {

    private final List<Authority> authorities;
    private final TrustBundle bundle;

    private AuthoritySet(List<Authority> authorities, TrustBundle bundle) {
        long signing = authorities.stream().filter(a -> a.phase().signs()).count();
        if (signing > 1) {
            throw new IllegalStateException("two authorities signing at once: " + authorities);
        }
        this.authorities = List.copyOf(authorities);
        this.bundle = bundle;
    }

    /** One authority, ACTIVE, and bundle version 1. */
    public static AuthoritySet bootstrap(SigningAuthority signer, Clock clock) {
        Authority active = Authority.prepared(signer, clock).moveTo(AuthorityPhase.ACTIVE, clock);
        return new AuthoritySet(List.of(active), TrustBundle.of(List.of(signer.root())));
    }


    public List<Authority> authorities() {
        return authorities;
    }

    public TrustBundle trustBundle() {
        return bundle;
    }

    public Optional<Authority> active() {
        return authorities.stream().filter(a -> a.phase().signs()).findFirst();
    }

    public Optional<Authority> find(String id) {
        return authorities.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** Adds a new authority as PREPARED: its root joins the bundle (the version moves on); it does not sign. */
    public AuthoritySet prepare(SigningAuthority signer, Clock clock) {
        if (find(signer.rootFingerprint()).isPresent()) {
            throw new CaException(Reason.ILLEGAL_PHASE_TRANSITION,
                    "authority " + signer.rootFingerprint().substring(0, 16) + " is already in the set");
        }
        List<Authority> next = new ArrayList<>(authorities);
        next.add(Authority.prepared(signer, clock));
        return with(next);
    }

    /** Makes {@code id} the signer; the current signer, if any, moves to RETIRING in the same step. */
    public AuthoritySet activate(String id, Clock clock) {
        Authority target = require(id);
        if (!target.phase().canMoveTo(AuthorityPhase.ACTIVE)) {
            target.moveTo(AuthorityPhase.ACTIVE, clock); // throws the precise refusal
        }
        List<Authority> next = new ArrayList<>();
        for (Authority authority : authorities) {
            if (authority.id().equals(id)) {
                next.add(authority.moveTo(AuthorityPhase.ACTIVE, clock));
            } else if (authority.phase().signs()) {
                next.add(authority.moveTo(AuthorityPhase.RETIRING, clock));
            } else {
                next.add(authority);
            }
        }
        return with(next);
    }

    /** Removes a non-signing authority's root from the bundle (RETIRED); the version moves on. */
    public AuthoritySet retire(String id, Clock clock) {
        require(id);
        List<Authority> next = new ArrayList<>();
        for (Authority authority : authorities) {
            next.add(authority.id().equals(id) ? authority.moveTo(AuthorityPhase.RETIRED, clock) : authority);
        }
        return with(next);
    }

    private Authority require(String id) {
        return find(id).orElseThrow(() -> new CaException(Reason.ILLEGAL_PHASE_TRANSITION,
                "no authority " + id + " in this trust domain"));
    }

    private AuthoritySet with(List<Authority> next) {
        List<X509Certificate> roots = roots(next);
        if (roots.isEmpty()) {
            throw new CaException(Reason.ILLEGAL_PHASE_TRANSITION, "the last trusted root cannot be retired");
        }
        return new AuthoritySet(next, bundle.withRoots(roots));
    }

    private static List<X509Certificate> roots(List<Authority> authorities) {
        return authorities.stream().filter(a -> a.phase().inBundle()).map(a -> a.signer().root()).toList();
    }
}
