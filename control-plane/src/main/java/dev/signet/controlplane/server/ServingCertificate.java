package dev.signet.controlplane.server;

import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.ServerNames;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.trust.CurrentTrust;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane's own certificate on its gRPC port, a small rotator of its own: issued by its CA for its identity
 * (with the DNS and IP names clients dial), renewed at half its lifetime counted from issuance (NotBefore is backdated
 * and would make it due too early), and at once when the signer's chain changed (a rotation's ACTIVATE); the roots it
 * accepts client certificates under follow the bundle in force. Both are read from {@link CurrentTrust} on
 * {@link #refresh()}, which the control plane calls every second.
 */
public final class ServingCertificate {

    private static final Logger LOG = Logger.getLogger(ServingCertificate.class.getName());
    private static final Duration RETRY = Duration.ofMinutes(1);

    /** A key, its certificate, the chain it was issued under, and when it was issued. */
    private record Held(PrivateKey key, X509Svid svid, List<X509Certificate> signerChain, Instant issuedAt) {}

    private final CertificateAuthority ca;
    private final CurrentTrust trust;
    private final SpiffeId identity;
    private final Duration ttl;
    private final ServerNames names;
    private final CryptoProviders providers;
    private final Clock clock;
    private final SecureRandom random;
    private final ServingCredentials credentials;
    private Held held;
    private List<X509Certificate> roots;
    private Instant nextAttempt = Instant.MIN;

    public ServingCertificate(
            CertificateAuthority ca,
            CurrentTrust trust,
            SpiffeId identity,
            Duration ttl,
            ServerNames names,
            CryptoProviders providers,
            Clock clock,
            SecureRandom random) {
        this.ca = ca;
        this.trust = trust;
        this.identity = identity;
        this.ttl = ttl;
        this.names = names;
        this.providers = providers;
        this.clock = clock;
        this.random = random;
        this.held = issue();
        this.roots = trust.bundle().roots();
        this.credentials = new ServingCredentials(held.key(), held.svid().chain(), roots);
    }

    /** What the gRPC port presents and accepts; swapped in place, so that no connection is dropped. */
    public ServingCredentials credentials() {
        return credentials;
    }

    /** Renews when due or when the signer changed, and follows the bundle's roots; a failure is retried in a minute. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        boolean signerChanged = !trust.signer().chain().equals(held.signerChain());
        Instant due = held.issuedAt()
                .plus(Duration.between(held.issuedAt(), held.svid().notAfter()).dividedBy(2));
        List<X509Certificate> currentRoots = trust.bundle().roots();
        if ((signerChanged || !now.isBefore(due)) && !now.isBefore(nextAttempt)) {
            try {
                held = issue();
                roots = currentRoots;
                credentials.update(held.key(), held.svid().chain(), roots);
                return;
            } catch (RuntimeException e) {
                nextAttempt = now.plus(RETRY);
                LOG.log(Level.WARNING, "renewing the serving certificate failed; retrying in a minute", e);
            }
        }
        if (!currentRoots.equals(roots)) {
            roots = currentRoots;
            credentials.update(held.key(), held.svid().chain(), roots);
        }
    }

    private Held issue() {
        List<X509Certificate> signerChain = trust.signer().chain();
        KeyPair keys = KeyType.EC_P256.generate(providers, random);
        X509Svid svid = ca.signServing(keys.getPublic(), identity, ttl, names);
        return new Held(keys.getPrivate(), svid, signerChain, clock.instant());
    }
}
