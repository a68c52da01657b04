package dev.signet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.crypto.Pem;
import dev.signet.ca.testing.MutableClock;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.identity.WorkloadIdentity;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalTest {

    @TempDir
    Path dir;

    /**
     * The loop in the test's time: the agent and the CA share a clock that the agent's pauses move forward, so that
     * seconds of renewals and retries take milliseconds. (Certificates are checked in real time by TLS; the clock
     * moves a few seconds ahead at most, well within the CA's five-minute backdating.)
     */
    @Test
    void the_loop_renews_before_expiry_and_keeps_the_last_good_files_while_the_ca_is_down() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        ControlPlane controlPlane = ControlPlane.start(
                ControlPlaneConfig.defaults(dir.resolve("state")).withEphemeralPorts(), clock, new SecureRandom());
        Path token = dir.resolve("token");
        Files.writeString(
                token,
                controlPlane
                        .tokenIssuer()
                        .issue(new WorkloadIdentity("shop", "checkout"), Duration.ofMinutes(10), "signet-ca"));
        Path out = dir.resolve("certs");
        Set<BigInteger> serials = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // A 6-second certificate: renewal falls due about every 3 seconds of the shared clock.
        AgentConfig config = AgentConfig.of(
                        "localhost:" + controlPlane.grpcPort(), dir.resolve("state/root-cert.pem"), token, out)
                .withTtl(Duration.ofSeconds(6));
        Agent agent = new Agent(
                config,
                new CertificateClient(config.caAddress()),
                new CredentialFiles(out),
                clock,
                new SecureRandom(),
                (wake, millis) -> {
                    leafOf(out).ifPresent(leaf -> serials.add(leaf.getSerialNumber()));
                    clock.advance(Duration.ofMillis(Math.min(millis, 500)));
                    Thread.sleep(5);
                });
        Thread loop = new Thread(() -> {
            try {
                agent.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Instant start = clock.instant();
        loop.start();
        try {
            awaitClock(clock, start.plusSeconds(7));
            assertThat(serials).as("the agent renewed on its own").hasSizeGreaterThanOrEqualTo(2);
            // About one renewal per 3 s of a 6 s certificate; a loop that renewed at once every time would issue
            // hundreds.
            assertThat(controlPlane.metrics().issuedCount()).isBetween(2L, 6L);

            controlPlane.close();
            BigInteger held = leafOf(out).orElseThrow().getSerialNumber();
            awaitClock(clock, clock.instant().plusSeconds(4));
            assertThat(leafOf(out).orElseThrow().getSerialNumber())
                    .as("files untouched while the CA is away")
                    .isEqualTo(held);
            assertThat(loop.isAlive()).as("the agent keeps retrying").isTrue();
        } finally {
            loop.interrupt();
            loop.join(5000);
        }
    }

    /** Waits (30 s at most, in real time) until the loop's pauses have moved {@code clock} to {@code when}. */
    private static void awaitClock(MutableClock clock, Instant when) {
        Awaitility.await("the loop's clock at " + when)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> !clock.instant().isBefore(when));
    }

    @Test
    void renewal_falls_at_half_the_lifetime_within_the_jitter() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        Agent agent = new Agent(
                AgentConfig.of("x:1", dir, dir, dir),
                new CertificateClient("x:1"),
                new CredentialFiles(dir),
                clock,
                new SecureRandom());
        IssuedCredential credential = credentialValid(Instant.parse("2026-11-23T10:00:00Z"), Duration.ofHours(24));
        for (int i = 0; i < 200; i++) {
            Instant at = agent.renewalTime(credential, Instant.parse("2026-11-23T10:00:00Z"));
            assertThat(at).isBetween(Instant.parse("2026-11-23T19:36:00Z"), Instant.parse("2026-11-24T00:24:00Z"));
        }
        // Received 5 minutes after a backdated NotBefore, a 6-second certificate is due in about 3 seconds, not at
        // once.
        IssuedCredential shortLived = credentialValid(
                Instant.parse("2026-11-23T09:55:00Z"), Duration.ofMinutes(5).plusSeconds(6));
        Instant received = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < 200; i++) {
            assertThat(agent.renewalTime(shortLived, received))
                    .isBetween(received.plusMillis(2400), received.plusMillis(3600));
        }
    }

    @Test
    void backoff_grows_is_capped_and_never_outlasts_the_certificate() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        Agent agent = new Agent(
                AgentConfig.of("x:1", dir, dir, dir),
                new CertificateClient("x:1"),
                new CredentialFiles(dir),
                clock,
                new SecureRandom());
        assertThat(agent.backoff(1, Optional.empty())).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(agent.backoff(4, Optional.empty())).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        assertThat(agent.backoff(30, Optional.empty())).isBetween(Duration.ofSeconds(30), Duration.ofMinutes(1));
        IssuedCredential nearlyExpired = credentialValid(clock.instant().minusSeconds(3590), Duration.ofHours(1));
        assertThat(agent.backoff(30, Optional.of(nearlyExpired))).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    private static IssuedCredential credentialValid(Instant from, Duration lifetime) throws Exception {
        X509Certificate certificate = new dev.signet.ca.testing.TestCaCertificates().leaf(from, lifetime);
        return new IssuedCredential(null, java.util.List.of(certificate), java.util.List.of(), 1, "spiffe://x/y");
    }

    private static Optional<X509Certificate> leafOf(Path out) {
        try {
            return Optional.of(Pem.certificates(Files.readString(out.resolve("cert-chain.pem")))
                    .get(0));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
