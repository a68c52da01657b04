package dev.signet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.crypto.Pem;
import dev.signet.ca.testing.MutableClock;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.identity.WorkloadIdentity;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalTest {

    @TempDir
    Path dir;

    @Test
    void the_loop_renews_before_expiry_and_keeps_the_last_good_files_while_the_ca_is_down() throws Exception {
        ControlPlane controlPlane = ControlPlane.start(ControlPlaneConfig.defaults(dir.resolve("state"))
                .withEphemeralPorts(), Clock.systemUTC(), new SecureRandom());
        Path token = dir.resolve("token");
        Files.writeString(token, controlPlane.tokenIssuer().issue(new WorkloadIdentity("shop", "checkout"),
                Duration.ofMinutes(10), "signet-ca"));
        Path out = dir.resolve("certs");
        // A 6-second certificate: renewal falls due about every 3 seconds.
        Agent agent = Agent.create(AgentConfig.of("localhost:" + controlPlane.grpcPort(), dir.resolve("state/root-cert.pem"),
                token, out).withTtl(Duration.ofSeconds(6)), Clock.systemUTC(), new SecureRandom());
        Thread loop = new Thread(() -> {
            try {
                agent.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();
        try {
            Set<BigInteger> serials = new HashSet<>();
            Instant until = Instant.now().plusSeconds(7);
            while (Instant.now().isBefore(until)) {
                leafOf(out).ifPresent(leaf -> serials.add(leaf.getSerialNumber()));
                Thread.sleep(100);
            }
            assertThat(serials).as("the agent renewed on its own").hasSizeGreaterThanOrEqualTo(2);
            // About one renewal per 3 s of a 6 s certificate; a loop that renewed at once every time would issue hundreds.
            assertThat(controlPlane.metrics().issuedCount()).isBetween(2L, 6L);

            controlPlane.close();
            BigInteger held = leafOf(out).orElseThrow().getSerialNumber();
            Thread.sleep(4000);
            assertThat(leafOf(out).orElseThrow().getSerialNumber()).as("files untouched while the CA is away").isEqualTo(held);
            assertThat(loop.isAlive()).as("the agent keeps retrying").isTrue();
        } finally {
            loop.interrupt();
            loop.join(5000);
        }
    }

    @Test
    void renewal_falls_at_half_the_lifetime_within_the_jitter() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        Agent agent = new Agent(AgentConfig.of("x:1", dir, dir, dir), new CertificateClient("x:1"), new CredentialFiles(dir),
                clock, new SecureRandom());
        IssuedCredential credential = credentialValid(Instant.parse("2026-11-23T10:00:00Z"), Duration.ofHours(24));
        for (int i = 0; i < 200; i++) {
            Instant at = agent.renewalTime(credential, Instant.parse("2026-11-23T10:00:00Z"));
            assertThat(at).isBetween(Instant.parse("2026-11-23T19:36:00Z"), Instant.parse("2026-11-24T00:24:00Z"));
        }
        // Received 5 minutes after a backdated NotBefore, a 6-second certificate is due in about 3 seconds, not at once.
        IssuedCredential shortLived = credentialValid(Instant.parse("2026-11-23T09:55:00Z"), Duration.ofMinutes(5).plusSeconds(6));
        Instant received = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < 200; i++) {
            assertThat(agent.renewalTime(shortLived, received)).isBetween(received.plusMillis(2400), received.plusMillis(3600));
        }
    }

    @Test
    void backoff_grows_is_capped_and_never_outlasts_the_certificate() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        Agent agent = new Agent(AgentConfig.of("x:1", dir, dir, dir), new CertificateClient("x:1"), new CredentialFiles(dir),
                clock, new SecureRandom());
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
            return Optional.of(Pem.certificates(Files.readString(out.resolve("cert-chain.pem"))).get(0));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
