package dev.signet.ca.csr;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.ca.CaException;
import dev.signet.ca.crypto.CryptoProviders;

/**
 * Jazzer fuzz target over the CSR parser. Under a plain test run it replays the inputs in
 * {@code src/test/resources/dev/signet/ca/csr/CsrValidatorFuzzTestInputs/} (seeds, and the corpus of a 10-minute
 * run); with {@code JAZZER_FUZZ=1} it fuzzes for ten minutes.
 * The property: untrusted bytes produce a CsrValidator result or a CaException, never anything else.
 */
class CsrValidatorFuzzTest {

    private static final CsrValidator VALIDATOR = new CsrValidator(CryptoProviders.detect());

    @FuzzTest(maxDuration = "10m")
    void validate(byte[] input) {
        try {
            VALIDATOR.validate(input);
        } catch (CaException expected) {
            // Refusals are the normal outcome for fuzzed bytes.
        }
    }
}
