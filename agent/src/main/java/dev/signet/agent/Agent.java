package dev.signet.agent;

import dev.signet.ca.crypto.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a workload's certificate files fresh. Each request uses a new key. Renewal is at {@code renewAtFraction}
 * of the lifetime, moved by up to {@code jitterFraction} so that a fleet does not renew in step; failures back off
 * exponentially (capped, and never past the certificate's expiry) while the last good files stay in place.
 */
public final class Agent {

    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    /**
     * How the renewal loop waits: until {@code millis} have passed on the agent's clock, or until woken (a renewal
     * request). A test passes one that moves its clock instead, and the loop runs in the test's time.
     */
    @FunctionalInterface
    interface Pause {
        Pause REAL = (wake, millis) -> wake.tryAcquire(millis, TimeUnit.MILLISECONDS);

        void await(Semaphore wake, long millis) throws InterruptedException;
    }

    private final AgentConfig config;
    private final CertificateClient client;
    private final CredentialFiles files;
    private final Clock clock;
    private final SecureRandom random;
    private volatile IssuedCredential current;
    /** The bundle last written to root-cert.pem and its version: from a certificate response or a bundle watch. */
    private volatile List<X509Certificate> bundleRoots = List.of();

    private volatile List<dev.signet.ca.jwt.JwtKey> bundleJwtKeys = List.of();

    private volatile long bundleVersion;
    /** Set when the control plane asks for a renewal before the usual time; the run loop wakes for it. */
    private volatile Instant renewalRequestedBy;

    private final Semaphore wake = new Semaphore(0);
    private final JwtSvidCache jwtSvids;
    private final Pause pause;
    private final List<java.util.function.Consumer<IssuedCredential>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.LongUnaryOperator> reaches =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Runnable> reachListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Agent(
            AgentConfig config, CertificateClient client, CredentialFiles files, Clock clock, SecureRandom random) {
        this(config, client, files, clock, random, Pause.REAL);
    }

    Agent(
            AgentConfig config,
            CertificateClient client,
            CredentialFiles files,
            Clock clock,
            SecureRandom random,
            Pause pause) {
        this.config = config;
        this.client = client;
        this.files = files;
        this.clock = clock;
        this.random = random;
        this.pause = pause;
        this.jwtSvids = new JwtSvidCache(clock);
    }

    public static Agent create(AgentConfig config, Clock clock, SecureRandom random) {
        return new Agent(
                config,
                new CertificateClient(config.caAddress()),
                new CredentialFiles(config.outputDirectory()),
                clock,
                random);
    }

    public Optional<IssuedCredential> current() {
        return Optional.ofNullable(current);
    }

    /** The current credential while it is valid: what the agent can authenticate with. */
    public Optional<IssuedCredential> validCredential() {
        return Optional.ofNullable(current).filter(c -> c.isValidAt(clock.instant()));
    }

    /** One request: new key, CSR, call, files written. The previous files stay if anything fails. */
    public IssuedCredential renewOnce() throws AgentException {
        KeyPair keys = KeysAndCsrs.newKey(random);
        Optional<IssuedCredential> held = Optional.ofNullable(current).filter(c -> c.isValidAt(clock.instant()));
        Optional<String> token = readToken();
        if (token.isEmpty() && held.isEmpty()) {
            throw new AgentException(
                    "missing", "no token at " + config.tokenFile() + " and no valid certificate to renew with", null);
        }
        IssuedCredential issued = client.request(
                keys, KeysAndCsrs.csr(keys), config.ttl(), bundleVersion, trustedRoots(held), token, held);
        synchronized (this) {
            // A bundle watch may have delivered a newer bundle while the request was in flight; it stays.
            IssuedCredential kept = issued.trustBundleVersion() >= bundleVersion
                    ? issued
                    : issued.withBundle(bundleRoots, bundleJwtKeys, bundleVersion);
            try {
                files.write(kept);
            } catch (IOException e) {
                throw new AgentException(
                        "write",
                        "cannot write the certificate files to " + files.directory() + ": " + e.getMessage(),
                        e);
            }
            current = kept;
            bundleRoots = kept.roots();
            bundleJwtKeys = kept.jwtKeys();
            bundleVersion = kept.trustBundleVersion();
            changed(kept);
            return kept;
        }
    }

    /**
     * A JWT-SVID of the agent's identity naming {@code audience} (already checked, in a stable order): one it holds
     * with most of its life left, else a new one from the CA, asked with the current certificate.
     */
    public JwtToken jwtSvid(List<String> audience) throws AgentException {
        Optional<JwtToken> cached = jwtSvids.get(audience);
        if (cached.isPresent()) {
            return cached.get();
        }
        IssuedCredential held = validCredential()
                .orElseThrow(() -> new AgentException(
                        "no_identity", "the agent has no valid certificate yet to ask for a JWT-SVID with", null));
        JwtToken token = client.requestJwt(audience, trustedRoots(Optional.of(held)), held);
        if (!token.spiffeId().equals(held.spiffeId())) {
            // The CA decides; it decided differently from the certificate it was shown, so nothing cached is right.
            jwtSvids.clear();
        }
        jwtSvids.put(audience, token);
        return token;
    }

    /**
     * Writes a bundle the control plane pushed, unless a newer one is already written; returns the version now
     * written, which is what the agent confirms.
     */
    public synchronized long acceptBundle(
            List<X509Certificate> roots, List<dev.signet.ca.jwt.JwtKey> jwtKeys, long version) throws AgentException {
        if (roots.isEmpty()) {
            // Written, it would leave the workload trusting nothing: every handshake would fail.
            throw new AgentException(
                    "bundle",
                    "the control plane sent bundle v" + version + " without roots; kept v" + bundleVersion,
                    null);
        }
        if (version > bundleVersion) {
            try {
                files.writeRoots(roots);
            } catch (IOException e) {
                throw new AgentException(
                        "write", "cannot write the trust bundle to " + files.directory() + ": " + e.getMessage(), e);
            }
            bundleRoots = List.copyOf(roots);
            bundleJwtKeys = List.copyOf(jwtKeys);
            bundleVersion = version;
            if (current != null) {
                changed(current.withBundle(bundleRoots, bundleJwtKeys, bundleVersion));
            }
        }
        return bundleVersion;
    }

    /**
     * Calls {@code listener} with the credential and the bundle now written after each renewal and each newer bundle,
     * in the order they were written, under the agent's lock and before the agent confirms a bundle (so a listener
     * must not block: gRPC sends queue), and at once with the current one, if any.
     */
    public synchronized void onChange(java.util.function.Consumer<IssuedCredential> listener) {
        listeners.add(listener);
        if (current != null) {
            listener.accept(current.withBundle(bundleRoots, bundleJwtKeys, bundleVersion));
        }
    }

    private void changed(IssuedCredential now) {
        for (java.util.function.Consumer<IssuedCredential> listener : listeners) {
            try {
                listener.accept(now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a credential listener failed", e);
            }
        }
    }

    public long bundleVersion() {
        return bundleVersion;
    }

    /**
     * Makes a bundle count as received only once {@code reach} says so: given the version written, it answers the
     * newest version its clients have taken up (Envoy over SDS: ACKed). Call {@link #reachChanged()} when that moves.
     */
    public void confirmOnlyAsFarAs(java.util.function.LongUnaryOperator reach) {
        reaches.add(reach);
    }

    /** The bundle version the agent may confirm: written, and taken up by every client that has a say. */
    public long confirmable() {
        long version = bundleVersion;
        for (java.util.function.LongUnaryOperator reach : reaches) {
            version = Math.min(version, reach.applyAsLong(version));
        }
        return version;
    }

    /** Runs {@code listener} whenever what {@link #confirmable()} answers may have moved on. */
    public void onReachChanged(Runnable listener) {
        reachListeners.add(listener);
    }

    /** A client took up a newer bundle: the agent may confirm more. */
    public void reachChanged() {
        reachListeners.forEach(Runnable::run);
    }

    /** The control plane asks for a new certificate within {@code within} (a root rotation is activating). */
    public void requestRenewal(Duration within) {
        renewalRequestedBy = clock.instant().plus(within);
        wake.release();
    }

    /**
     * Takes up the credential a previous run left in the output directory, if it is still valid: the first renewal
     * then names it as replaced, so the CA counts the old leaf out of use (what a root rotation waits for).
     */
    public void resumeFromFiles() {
        if (current != null) {
            return;
        }
        files.read().filter(held -> held.isValidAt(clock.instant())).ifPresent(held -> {
            current = held;
            LOG.info(() -> "found the certificate of an earlier run (" + held.spiffeId() + ", serial "
                    + held.chain().get(0).getSerialNumber().toString(16) + "); replacing it");
        });
    }

    /** Runs until interrupted: renew, sleep until the next renewal, back off on failure. */
    public void run() throws InterruptedException {
        resumeFromFiles();
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            Duration wait;
            try {
                IssuedCredential issued = renewOnce();
                Instant received = clock.instant();
                failures = 0;
                Instant renewAt = renewalTime(issued, received);
                wait = Duration.between(received, renewAt);
                LOG.info(() -> "certificate for " + issued.spiffeId() + " valid until " + issued.notAfter()
                        + "; renewing at " + renewAt);
            } catch (AgentException e) {
                failures++;
                wait = backoff(failures, Optional.ofNullable(current));
                Duration retry = wait;
                LOG.log(
                        Level.WARNING,
                        () -> e.getMessage() + "; retrying in " + retry.toMillis() + " ms"
                                + (current != null && current.isValidAt(clock.instant())
                                        ? " (the current certificate stays in use)"
                                        : ""));
            }
            sleepUntilDue(wait);
        }
    }

    /** Sleeps {@code wait}, or less when a renewal was requested for sooner; a request consumed here is cleared. */
    private void sleepUntilDue(Duration wait) throws InterruptedException {
        Instant due = clock.instant().plus(wait);
        while (true) {
            Instant requested = renewalRequestedBy;
            if (requested != null && requested.isBefore(due)) {
                due = requested;
            }
            long millis = Duration.between(clock.instant(), due).toMillis();
            if (millis <= 0) {
                if (requested != null && !requested.isAfter(due)) {
                    renewalRequestedBy = null;
                }
                return;
            }
            pause.await(wake, Math.max(10, millis));
        }
    }

    /**
     * When to renew: at the configured fraction of the lifetime, moved by up to the jitter fraction either way. The
     * lifetime counts from when the certificate was received, not from its NotBefore, which the CA backdates for
     * clock skew: counted from there, a short-lived certificate would be "due" the moment it arrived.
     */
    public Instant renewalTime(IssuedCredential credential, Instant received) {
        Instant start = received.isAfter(credential.notBefore()) ? received : credential.notBefore();
        Duration lifetime = Duration.between(start, credential.notAfter());
        double fraction = config.renewAtFraction() + (random.nextDouble() * 2 - 1) * config.jitterFraction();
        fraction = Math.min(0.9, Math.max(0.1, fraction));
        return start.plusMillis((long) (lifetime.toMillis() * fraction));
    }

    /** Exponential from the minimum, capped, with jitter; never later than the current certificate's expiry. */
    public Duration backoff(int failures, Optional<IssuedCredential> held) {
        long base = config.minBackoff().toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(base, config.maxBackoff().toMillis());
        long jittered = (long) (capped * (0.5 + random.nextDouble() / 2));
        if (held.isPresent()) {
            long untilExpiry =
                    Duration.between(clock.instant(), held.get().notAfter()).toMillis();
            if (untilExpiry > 0) {
                jittered = Math.min(jittered, Math.max(config.minBackoff().toMillis(), untilExpiry / 2));
            }
        }
        return Duration.ofMillis(jittered);
    }

    private Optional<String> readToken() throws AgentException {
        try {
            String token = Files.readString(config.tokenFile(), StandardCharsets.US_ASCII)
                    .trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AgentException(
                    "token", "cannot read the token at " + config.tokenFile() + ": " + e.getMessage(), e);
        }
    }

    /** The roots given with --ca-root, plus the bundle last received: the CA may move to a newer root. */
    List<X509Certificate> trustedRoots(Optional<IssuedCredential> held) throws AgentException {
        List<X509Certificate> roots = new ArrayList<>();
        try {
            roots.addAll(Pem.certificates(Files.readString(config.caRoot(), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new AgentException("ca-root", "cannot read --ca-root " + config.caRoot() + ": " + e.getMessage(), e);
        }
        held.ifPresent(c -> roots.addAll(c.roots()));
        roots.addAll(bundleRoots);
        return roots;
    }
}
