package dev.signet.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Jazzer fuzz target over the standalone token verifier, the first thing every caller's bytes reach. Plain test
 * runs replay {@code TokenVerifierFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for ten minutes. The property: any
 * string is refused with an AuthenticationException or, if it authenticates at all, names a valid service account;
 * nothing else escapes.
 */
class TokenVerifierFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    private static final KeyPair KEY = KeyType.EC_P256.generate(CryptoProviders.detect(), new SecureRandom());
    private static final LocalTokenAuthenticator VERIFIER =
            new LocalTokenAuthenticator((ECPublicKey) KEY.getPublic(), LocalTokenIssuer.DEFAULT_AUDIENCE, CLOCK);

    @FuzzTest(maxDuration = "10m")
    void authenticate(byte[] input) {
        String token = new String(input, StandardCharsets.UTF_8);
        try {
            WorkloadIdentity identity = VERIFIER.authenticate(token);
            assertThat(identity.spiffeId("cluster.local").uri()).startsWith("spiffe://cluster.local/ns/");
        } catch (AuthenticationException expected) {
            // Refusals are the normal outcome for fuzzed strings.
        }
    }
}
