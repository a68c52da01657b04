package dev.signet.controlplane.environment;

import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.crypto.CryptoProviders;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;

/** Where the CA's material lives: standalone, the state directory's {@code ca/}; in a cluster, a Secret. */
@FunctionalInterface
public interface CaStore {

    /** The CA to sign with: loaded when it exists, created (once) otherwise. */
    CaDirectory.Contents loadOrCreate(String trustDomain, CryptoProviders providers, Clock clock, SecureRandom random)
            throws IOException;
}
