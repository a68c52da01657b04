package dev.signet.ca.testing;

import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.spiffe.SpiffeId;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** Leaves with a chosen validity, for tests of code that schedules around a certificate's lifetime. */
public final class TestCaCertificates {

    /** A leaf whose validity starts exactly at {@code from} (no backdate) and lasts {@code lifetime}. */
    public X509Certificate leaf(Instant from, Duration lifetime) {
        MutableClock clock = new MutableClock(from.minus(Duration.ofDays(1)));
        IssuancePolicy policy = new IssuancePolicy(lifetime, lifetime.plusDays(1), Duration.ZERO);
        TestCa ca = TestCa.create(KeyType.EC_P256, clock, policy);
        clock.set(from);
        return ca.ca()
                .sign(Csrs.der(Csrs.ecP256()), SpiffeId.forServiceAccount("cluster.local", "a", "b"), lifetime)
                .leaf();
    }
}
