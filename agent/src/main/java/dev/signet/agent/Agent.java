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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a workload's certificate files fresh. Each request uses a new key. Renewal is at {@code renewAtFraction}
 * of the lifetime, moved by up to {@code jitterFraction} so that a fleet does not renew in step; failures back off
 * exponentially (capped, and never past the certificate's expiry) while the last good files stay in place.
 */
public final class Agent {

    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    private final AgentConfig config;
    private final CertificateClient client;
    private final CredentialFiles files;
    private final Clock clock;
    private final SecureRandom random;
    private volatile IssuedCredential current;

    public Agent(AgentConfig config, CertificateClient client, CredentialFiles files, Clock clock, SecureRandom random) {
        this.config = config;
        this.client = client;
        this.files = files;
        this.clock = clock;
        this.random = random;
    }

    public static Agent create(AgentConfig config, Clock clock, SecureRandom random) {
        return new Agent(config, new CertificateClient(config.caAddress()), new CredentialFiles(config.outputDirectory()),
                clock, random);
    }

    public Optional<IssuedCredential> current() {
        return Optional.ofNullable(current);
    }

    /** One request: new key, CSR, call, files written. The previous files stay if anything fails. */
    public IssuedCredential renewOnce() throws AgentException {
        KeyPair keys = KeysAndCsrs.newKey(random);
        Optional<IssuedCredential> held = Optional.ofNullable(current).filter(c -> c.isValidAt(clock.instant()));
        Optional<String> token = readToken();
        if (token.isEmpty() && held.isEmpty()) {
            throw new AgentException("missing", "no token at " + config.tokenFile() + " and no valid certificate to renew with", null);
        }
        IssuedCredential issued = client.request(keys, KeysAndCsrs.csr(keys), config.ttl(),
                held.map(IssuedCredential::trustBundleVersion).orElse(0L), trustedRoots(held), token, held);
        try {
            files.write(issued);
        } catch (IOException e) {
            throw new AgentException("write", "cannot write the certificate files to " + files.directory() + ": " + e.getMessage(), e);
        }
        current = issued;
        return issued;
    }

    /** Runs until interrupted: renew, sleep until the next renewal, back off on failure. */
    public void run() throws InterruptedException {
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
                LOG.log(Level.WARNING, () -> e.getMessage() + "; retrying in " + retry.toMillis() + " ms"
                        + (current != null && current.isValidAt(clock.instant()) ? " (the current certificate stays in use)" : ""));
            }
            Thread.sleep(Math.max(10, wait.toMillis()));
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
            long untilExpiry = Duration.between(clock.instant(), held.get().notAfter()).toMillis();
            if (untilExpiry > 0) {
                jittered = Math.min(jittered, Math.max(config.minBackoff().toMillis(), untilExpiry / 2));
            }
        }
        return Duration.ofMillis(jittered);
    }

    private Optional<String> readToken() throws AgentException {
        try {
            String token = Files.readString(config.tokenFile(), StandardCharsets.US_ASCII).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AgentException("token", "cannot read the token at " + config.tokenFile() + ": " + e.getMessage(), e);
        }
    }

    /** The roots given with --ca-root, plus the bundle last received: the CA may move to a newer root. */
    private List<X509Certificate> trustedRoots(Optional<IssuedCredential> held) throws AgentException {
        List<X509Certificate> roots = new ArrayList<>();
        try {
            roots.addAll(Pem.certificates(Files.readString(config.caRoot(), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new AgentException("ca-root", "cannot read --ca-root " + config.caRoot() + ": " + e.getMessage(), e);
        }
        held.ifPresent(c -> roots.addAll(c.roots()));
        return roots;
    }
}
