package dev.signet.controlplane.trust;

import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.bundle.TrustBundle;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The authority signing now and the trust bundle in force, read by whoever needs them when they need them (the CA at
 * each issuance, the serving certificate at each refresh), written only by {@link TrustDistribution}. Thread-safe.
 */
public final class CurrentTrust {

    private record Pair(SigningAuthority signer, TrustBundle bundle) {}

    private final AtomicReference<Pair> current;

    public CurrentTrust(SigningAuthority signer, TrustBundle bundle) {
        this.current = new AtomicReference<>(new Pair(signer, bundle));
    }

    public SigningAuthority signer() {
        return current.get().signer();
    }

    public TrustBundle bundle() {
        return current.get().bundle();
    }

    /** Replaces both at once; returns the bundle in force before. */
    TrustBundle set(SigningAuthority signer, TrustBundle bundle) {
        return current.getAndSet(new Pair(signer, bundle)).bundle();
    }
}
