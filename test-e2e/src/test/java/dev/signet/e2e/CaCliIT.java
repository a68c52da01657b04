package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.testing.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA as a user drives it: bin/signet in a shell, openssl making the key and judging the certificate. */
class CaCliIT {

    @TempDir
    Path dir;

    @Test
    void init_sign_inspect_with_bin_signet_and_openssl() throws Exception {
        SignetProcess.Result version = SignetProcess.run(dir, "--version");
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("signet ");

        SignetProcess.Result init = SignetProcess.run(
                dir, "ca", "init", "--out", "ca", "--key-type", "ec-p384", "--trust-domain", "example.org");
        assertThat(init.exitCode()).as(init.err()).isZero();

        Openssl.ok(
                dir,
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "workload.key",
                "-subj",
                "/CN=pretends-to-be-admin",
                "-out",
                "workload.csr");
        SignetProcess.Result sign = SignetProcess.run(
                dir,
                "ca",
                "sign",
                "--ca",
                "ca",
                "--csr",
                "workload.csr",
                "--spiffe-id",
                "spiffe://example.org/ns/shop/sa/checkout",
                "--ttl",
                "1h",
                "--out",
                "chain.pem");
        assertThat(sign.exitCode()).as(sign.err()).isZero();

        for (String purpose : new String[] {"sslclient", "sslserver"}) {
            assertThat(Openssl.ok(
                            dir,
                            "verify",
                            "-CAfile",
                            "ca/root-cert.pem",
                            "-untrusted",
                            "chain.pem",
                            "-purpose",
                            purpose,
                            "chain.pem"))
                    .contains("chain.pem: OK");
        }
        String text = Openssl.ok(dir, "x509", "-in", "chain.pem", "-noout", "-text");
        assertThat(text)
                .contains("URI:spiffe://example.org/ns/shop/sa/checkout")
                .contains("CA:FALSE")
                .doesNotContain("pretends-to-be-admin");

        SignetProcess.Result inspect = SignetProcess.run(dir, "ca", "inspect", "chain.pem");
        assertThat(inspect.exitCode()).isZero();
        assertThat(inspect.out())
                .contains("spiffe://example.org/ns/shop/sa/checkout")
                .contains("RSA 2048");
    }

    @Test
    void a_refusal_exits_non_zero_with_the_reason_on_stderr() throws Exception {
        assertThat(SignetProcess.run(dir, "ca", "init", "--out", "ca").exitCode())
                .isZero();
        Files.write(
                dir.resolve("random.csr"),
                new java.util.Random(1)
                        .ints(300, 0, 256)
                        .collect(java.io.ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> {})
                        .toByteArray());
        SignetProcess.Result sign = SignetProcess.run(
                dir,
                "ca",
                "sign",
                "--ca",
                "ca",
                "--csr",
                "random.csr",
                "--spiffe-id",
                "spiffe://cluster.local/ns/a/sa/b");
        assertThat(sign.exitCode()).isEqualTo(1);
        assertThat(sign.err()).contains("refused (malformed_csr)");
        assertThat(sign.out()).isEmpty();
    }
}
