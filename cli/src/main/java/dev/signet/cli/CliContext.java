package dev.signet.cli;

import dev.signet.ca.crypto.CryptoProviders;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/** What commands need from the outside world, injected so that tests can fix time and randomness. */
public record CliContext(Clock clock, SecureRandom random, Supplier<CryptoProviders> providers) {

    public static CliContext system() {
        return new CliContext(Clock.systemUTC(), new SecureRandom(), CryptoProviders::detect);
    }
}
