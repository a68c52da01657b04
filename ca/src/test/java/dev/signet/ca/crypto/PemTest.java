package dev.signet.ca.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.CaException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {

    @Test
    void round_trips_blocks_and_tolerates_text_between_them() {
        String text = "subject=whatever\n" + Pem.encode("CERTIFICATE REQUEST", new byte[] {1, 2, 3}) + "junk between\n"
                + Pem.encode("CERTIFICATE REQUEST", new byte[70]);
        List<PemBlock> blocks = Pem.decode(text);
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).der()).containsExactly(1, 2, 3);
        assertThat(blocks.get(1).der()).hasSize(70);
    }

    @Test
    void refuses_malformed_text() {
        assertRefused("-----BEGIN CERTIFICATE-----\nAAAA\n", "no \"-----END CERTIFICATE-----\" line");
        assertRefused("-----BEGIN CERTIFICATE-----\nA!A=\n-----END CERTIFICATE-----\n", "not valid base64");
        assertRefused("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "is empty");
        assertRefused("-----BEGIN CERTIFICATE\nAAAA\n", "not closed");
        assertRefused(
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "headers");
    }

    @Test
    void single_refuses_the_wrong_label_and_several_blocks() {
        String one = Pem.encode("PUBLIC KEY", new byte[] {1});
        assertThatThrownBy(() -> Pem.single(one, List.of("CERTIFICATE REQUEST")))
                .hasMessageContaining("\"PUBLIC KEY\"");
        assertThatThrownBy(() -> Pem.single(one + one, List.of("PUBLIC KEY"))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> Pem.single("nothing here", List.of("PUBLIC KEY")))
                .hasMessageContaining("no PEM block");
    }

    @Test
    void certificates_refuses_garbage_inside_a_certificate_block() {
        assertRefused(Pem.encodeCertificate(new byte[] {0x30, 0x03, 1, 2, 3}), "not hold a valid X.509 certificate");
        assertThatThrownBy(() -> Pem.certificates(Pem.encode("PRIVATE KEY", new byte[] {1})))
                .hasMessageContaining("only CERTIFICATE blocks");
    }

    @Test
    void refuses_an_encrypted_private_key_with_a_hint() {
        assertThatThrownBy(() -> Pem.privateKey(
                        Pem.encode("ENCRYPTED PRIVATE KEY", new byte[] {1}),
                        new org.bouncycastle.jce.provider.BouncyCastleProvider()))
                .hasMessageContaining("openssl pkey");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> Pem.certificates(text))
                .isInstanceOfSatisfying(
                        CaException.class, e -> assertThat(e.reason()).isEqualTo(CaException.Reason.MALFORMED_PEM))
                .hasMessageContaining(message);
    }
}
