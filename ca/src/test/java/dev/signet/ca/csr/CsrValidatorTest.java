package dev.signet.ca.csr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.testing.Csrs;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CsrValidatorTest {

    private static final KeyPair P256 = Csrs.ecP256();

    private final CsrValidator validator = new CsrValidator(CryptoProviders.detect());

    enum Provider {
        DETECTED,
        BOUNCY_CASTLE_ONLY
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void accepts_the_allowed_keys_in_pem_and_der(Provider which) {
        CsrValidator v = new CsrValidator(
                which == Provider.DETECTED ? CryptoProviders.detect() : CryptoProviders.bouncyCastleOnly());
        assertThat(v.validate(Csrs.der(P256)).keyKind()).isEqualTo(LeafKeyKind.EC_P256);
        assertThat(v.validate(Csrs.pem(Csrs.der(P256))).keyKind()).isEqualTo(LeafKeyKind.EC_P256);
        assertThat(v.validate(Csrs.der(Csrs.ecP384(), "SHA384withECDSA", "CN=x", null))
                        .keyKind())
                .isEqualTo(LeafKeyKind.EC_P384);
        ValidatedCsr rsa = v.validate(Csrs.der(Csrs.rsa(2048)));
        assertThat(rsa.keyKind()).isEqualTo(LeafKeyKind.RSA);
        assertThat(rsa.keyBits()).isEqualTo(2048);
        assertThat(v.validate(Csrs.der(Csrs.ed25519())).keyKind()).isEqualTo(LeafKeyKind.ED25519);
    }

    @Test
    void accepts_a_pem_csr_with_the_legacy_label_and_surrounding_whitespace() {
        String pem = "\n  " + dev.signet.ca.crypto.Pem.encode("NEW CERTIFICATE REQUEST", Csrs.der(P256));
        assertThat(validator.validate(pem.getBytes(StandardCharsets.US_ASCII)).keyKind())
                .isEqualTo(LeafKeyKind.EC_P256);
    }

    @Test
    void refuses_malformed_pem() {
        byte[] text = "-----BEGIN CERTIFICATE REQUEST-----\n%%%%\n-----END CERTIFICATE REQUEST-----\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertRefused(text, Reason.MALFORMED_PEM, "base64");
        assertRefused(
                dev.signet.ca.crypto.Pem.encode("CERTIFICATE", Csrs.der(P256)).getBytes(StandardCharsets.US_ASCII),
                Reason.MALFORMED_PEM,
                "CERTIFICATE REQUEST");
    }

    @Test
    void refuses_truncated_der() {
        byte[] der = Csrs.der(P256);
        assertRefused(Arrays.copyOf(der, der.length - 1), Reason.MALFORMED_CSR, "not valid PKCS#10 DER");
        assertRefused(Arrays.copyOf(der, 10), Reason.MALFORMED_CSR, "not valid PKCS#10 DER");
    }

    @Test
    void refuses_trailing_bytes_after_the_der() {
        byte[] der = Csrs.der(P256);
        assertRefused(Arrays.copyOf(der, der.length + 4), Reason.MALFORMED_CSR, "not valid PKCS#10 DER");
    }

    @Test
    void refuses_a_signature_that_does_not_verify() {
        byte[] der = Csrs.der(P256);
        der[der.length - 3] ^= 0x01;
        assertRefused(der, Reason.CSR_SIGNATURE_INVALID, null);
    }

    @Test
    void refuses_a_csr_signed_by_another_key_no_proof_of_possession() {
        KeyPair other = Csrs.ecP256();
        byte[] der = Csrs.der(P256, other.getPrivate(), "SHA256withECDSA", "CN=x", null);
        assertRefused(der, Reason.CSR_SIGNATURE_INVALID, "no proof of possession");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void refuses_a_p256_key_whose_point_is_off_the_curve(Provider which) {
        CsrValidator v = new CsrValidator(
                which == Provider.DETECTED ? CryptoProviders.detect() : CryptoProviders.bouncyCastleOnly());
        byte[] der = Csrs.der(P256);
        byte[] spki = P256.getPublic().getEncoded();
        byte[] point = Arrays.copyOfRange(spki, spki.length - 65, spki.length);
        int at = indexOf(der, point);
        assertThat(at).as("the uncompressed point in the CSR").isPositive();
        der[at + 64] ^= 0x01; // the last byte of y: (x, y') is not on P-256
        // Both providers refuse the key itself, before any signature is checked over it.
        assertRefused(v, der, Reason.CSR_SIGNATURE_INVALID, "public key cannot be checked");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void refuses_rsa_1024_as_weak() {
        assertRefused(Csrs.der(Csrs.rsa(1024)), Reason.WEAK_KEY, "1024 bits; at least 2048");
    }

    @Test
    void refuses_a_small_rsa_exponent() {
        assertRefused(Csrs.der(Csrs.rsa(2048, BigInteger.valueOf(3))), Reason.WEAK_KEY, "exponent 3");
    }

    @Test
    void refuses_unknown_curves() {
        assertRefused(
                Csrs.der(Csrs.ec("secp256k1"), "SHA256withECDSA", "CN=x", null),
                Reason.UNSUPPORTED_KEY,
                "1.3.132.0.10");
        assertRefused(
                Csrs.der(Csrs.ec("brainpoolP256r1"), "SHA256withECDSA", "CN=x", null), Reason.UNSUPPORTED_KEY, "P-256");
        assertRefused(
                Csrs.der(Csrs.ec("secp521r1"), "SHA512withECDSA", "CN=x", null), Reason.UNSUPPORTED_KEY, "secp384r1");
    }

    @Test
    void refuses_sha1_signatures() {
        assertRefused(
                Csrs.der(P256, "SHA1withECDSA", "CN=x", null),
                Reason.UNSUPPORTED_SIGNATURE_ALGORITHM,
                "1.2.840.10045.4.1");
    }

    @Test
    void refuses_a_csr_over_the_size_limit_before_parsing_it() {
        CsrValidator small = new CsrValidator(KeyPolicy.DEFAULT, 100, CryptoProviders.detect());
        assertRefused(small, Csrs.der(P256), Reason.CSR_TOO_LARGE, "the limit is 100");
        assertRefused(new byte[CsrValidator.DEFAULT_MAX_BYTES + 1], Reason.CSR_TOO_LARGE, "the limit is 8192");
    }

    @Test
    void refuses_empty_and_random_input() {
        assertRefused(new byte[0], Reason.MALFORMED_CSR, "empty");
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[1 + random.nextInt(600)];
            random.nextBytes(bytes);
            assertThatThrownBy(() -> validator.validate(bytes)).isInstanceOf(CaException.class);
        }
    }

    @Test
    void refuses_ed25519_when_the_policy_does_not_allow_it() {
        CsrValidator strict = new CsrValidator(new KeyPolicy(2048, 8192, false), 8192, CryptoProviders.detect());
        assertRefused(strict, Csrs.der(Csrs.ed25519()), Reason.UNSUPPORTED_KEY, "Ed25519");
    }

    @Test
    void a_policy_cannot_be_configured_below_2048_bit_rsa() {
        assertThatThrownBy(() -> new KeyPolicy(1024, 4096, true)).hasMessageContaining("at least 2048");
    }

    /**
     * Mutation fuzzing without a fuzzer: every single-byte change, truncation and splice of a valid CSR either
     * validates or is refused with a CaException; nothing else escapes (no NPE, no ClassCastException, no OOM).
     */
    @Test
    void mutated_csrs_are_refused_cleanly() {
        byte[][] seeds = {Csrs.der(P256), Csrs.der(Csrs.rsa(2048)), Csrs.der(Csrs.ed25519()), Csrs.pem(Csrs.der(P256))};
        Random random = new Random(7);
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < 6000; round++) {
            byte[] seed = seeds[round % seeds.length];
            byte[] input = mutate(seed, random);
            try {
                validator.validate(input);
                accepted++;
            } catch (CaException e) {
                assertThat(e.reason()).isNotNull();
                refused++;
            }
        }
        // Most mutations break the CSR, and some keep it valid (a changed byte in a name): both paths are walked.
        assertThat(refused).isGreaterThan(5000);
        assertThat(accepted).isPositive();
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 2 -> {
                int at = random.nextInt(out.length);
                out[at] = (byte) (out[at] ^ (1 << random.nextInt(8)));
            }
            default -> {
                // Rewrite a length byte to something large: the classic DER bomb.
                int at = 1 + random.nextInt(Math.min(8, out.length - 1));
                out[at] = (byte) (0x80 | (1 + random.nextInt(4)));
            }
        }
        return out;
    }

    private void assertRefused(byte[] input, Reason reason, String message) {
        assertRefused(validator, input, reason, message);
    }

    private static void assertRefused(CsrValidator v, byte[] input, Reason reason, String message) {
        var assertion = assertThatThrownBy(() -> v.validate(input))
                .isInstanceOfSatisfying(
                        CaException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        if (message != null) {
            assertion.hasMessageContaining(message);
        }
    }
}
