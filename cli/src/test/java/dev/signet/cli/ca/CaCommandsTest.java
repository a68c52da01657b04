package dev.signet.cli.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.Openssl;
import dev.signet.cli.CliContext;
import dev.signet.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCommandsTest {

    private static final String CHECKOUT = "spiffe://cluster.local/ns/shop/sa/checkout";

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final CliContext context = new CliContext(clock, new SecureRandom(), CryptoProviders::detect);

    @TempDir
    Path dir;

    Path ca;

    @BeforeEach
    void init() throws Exception {
        ca = dir.resolve("ca");
        CliRun init = CliRun.run(context, "ca", "init", "--out", ca.toString());
        assertThat(init.exitCode()).as(init.err()).isZero();
        String fingerprint = Fingerprints.colonSeparated(Fingerprints.sha256(
                Pem.certificates(Files.readString(ca.resolve("root-cert.pem"))).get(0)));
        assertThat(init.out()).contains("ec-p256").contains("cluster.local").contains(fingerprint);
        Files.write(dir.resolve("req.der"), Csrs.der(Csrs.ecP256()));
    }

    @Test
    void bundle_prints_the_roots_as_a_spiffe_bundle_or_pem_and_refuses_bad_input() throws Exception {
        String roots = ca.resolve("root-cert.pem").toString();
        CliRun spiffe = CliRun.run(context, "ca", "bundle", roots, "--sequence", "7");
        assertThat(spiffe.exitCode()).as(spiffe.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode json =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(spiffe.out());
        assertThat(json.path("spiffe_sequence").asLong()).isEqualTo(7);
        assertThat(json.path("spiffe_refresh_hint").asLong()).isEqualTo(300);
        assertThat(json.path("keys")).hasSize(1);
        assertThat(json.path("keys").get(0).path("use").asText()).isEqualTo("x509-svid");
        assertThat(CliRun.run(context, "ca", "bundle", roots).out())
                .as("no sequence number unless one is known")
                .doesNotContain("spiffe_sequence");
        assertThat(CliRun.run(context, "ca", "bundle", roots, "-o", "pem").out())
                .isEqualTo(Files.readString(ca.resolve("root-cert.pem")));

        CliRun format = CliRun.run(context, "ca", "bundle", roots, "-o", "yaml");
        assertThat(format.exitCode()).isEqualTo(1);
        assertThat(format.err()).contains("unknown output format 'yaml'; use spiffe or pem");
        CliRun missing = CliRun.run(
                context, "ca", "bundle", "--state-dir", dir.resolve("none").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("start 'signet serve' once to create it");
        Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThat(CliRun.run(context, "ca", "bundle", dir.resolve("empty.pem").toString())
                        .exitCode())
                .isEqualTo(1);
    }

    @Test
    void init_refuses_to_replace_a_ca_without_force() {
        CliRun again = CliRun.run(context, "ca", "init", "--out", ca.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("pass --force");
        assertThat(CliRun.run(context, "ca", "init", "--out", ca.toString(), "--force", "--key-type", "ec-p384")
                        .exitCode())
                .isZero();
    }

    @Test
    void init_names_the_valid_key_types() {
        CliRun run = CliRun.run(context, "ca", "init", "--out", dir.resolve("x").toString(), "--key-type", "dsa");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown key type \"dsa\"").contains("ec-p256, ec-p384, rsa-2048");
    }

    @Test
    void sign_prints_a_chain_that_openssl_verifies() throws Exception {
        CliRun sign = CliRun.run(
                context,
                "ca",
                "sign",
                "--ca",
                ca.toString(),
                "--csr",
                dir.resolve("req.der").toString(),
                "--spiffe-id",
                CHECKOUT,
                "--ttl",
                "1h");
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        assertThat(sign.err()).contains("signed " + CHECKOUT);
        assertThat(Pem.certificates(sign.out())).hasSize(2);
        Files.writeString(dir.resolve("chain.pem"), sign.out());
        assertThat(Openssl.ok(dir, "verify", "-CAfile", "ca/root-cert.pem", "-untrusted", "chain.pem", "chain.pem"))
                .contains("chain.pem: OK");
    }

    @Test
    void sign_writes_to_a_file_when_asked() throws Exception {
        CliRun sign = CliRun.run(
                context,
                "ca",
                "sign",
                "--ca",
                ca.toString(),
                "--csr",
                dir.resolve("req.der").toString(),
                "--spiffe-id",
                CHECKOUT,
                "--out",
                dir.resolve("out.pem").toString());
        assertThat(sign.exitCode()).isZero();
        assertThat(sign.out()).isEmpty();
        assertThat(Pem.certificates(Files.readString(dir.resolve("out.pem")))).hasSize(2);
    }

    @Test
    void sign_refusals_say_why_and_exit_1() throws Exception {
        assertRefusal("ttl_exceeds_maximum", "--spiffe-id", CHECKOUT, "--ttl", "30d");
        assertRefusal("invalid_spiffe_id", "--spiffe-id", "spiffe://cluster.local/ns/../x");
        assertRefusal("trust_domain_mismatch", "--spiffe-id", "spiffe://evil.org/ns/a/sa/b");
        Files.write(dir.resolve("req.der"), new byte[] {0x30, 0x05, 1, 2});
        assertRefusal("malformed_csr", "--spiffe-id", CHECKOUT);
        Files.write(dir.resolve("req.der"), Csrs.der(Csrs.rsa(1024)));
        assertRefusal("weak_key", "--spiffe-id", CHECKOUT);
    }

    @Test
    void inspect_prints_identity_validity_and_the_fingerprint_openssl_computes() throws Exception {
        CliRun sign = CliRun.run(
                context,
                "ca",
                "sign",
                "--ca",
                ca.toString(),
                "--csr",
                dir.resolve("req.der").toString(),
                "--spiffe-id",
                CHECKOUT,
                "--ttl",
                "2h");
        Files.writeString(dir.resolve("chain.pem"), sign.out());
        CliRun inspect =
                CliRun.run(context, "ca", "inspect", dir.resolve("chain.pem").toString());
        assertThat(inspect.exitCode()).isZero();
        assertThat(inspect.out())
                .contains("certificate 1 of 2: leaf")
                .contains("SPIFFE ID:   " + CHECKOUT)
                .contains("expires in 2h")
                .contains("certificate 2 of 2: intermediate CA")
                .contains("ECDSA P-256");
        String openssl = Openssl.ok(dir, "x509", "-in", "chain.pem", "-noout", "-fingerprint", "-sha256");
        assertThat(inspect.out())
                .contains(openssl.substring(openssl.indexOf('=') + 1).trim());

        clock.advance(Duration.ofHours(3));
        CliRun later = CliRun.run(
                context, "ca", "inspect", "-o", "json", dir.resolve("chain.pem").toString());
        JsonNode json = new ObjectMapper().readTree(later.out());
        assertThat(json.get(0).get("spiffeId").asText()).isEqualTo(CHECKOUT);
        assertThat(json.get(0).get("expired").asBoolean()).isTrue();
        assertThat(json.get(1).get("expired").asBoolean()).isFalse();
        assertThat(json.get(1).get("role").asText()).isEqualTo("intermediate CA");
        assertThat(json.get(0).get("withinExpiryMargin").asBoolean()).isTrue();
        assertThat(later.exitCode()).as("an expired leaf is past any margin").isEqualTo(3);
    }

    @Test
    void inspect_exits_3_once_the_root_is_within_its_expiry_margin_so_ci_can_fail_on_it() throws Exception {
        String root = ca.resolve("root-cert.pem").toString();
        assertThat(CliRun.run(context, "ca", "inspect", root).exitCode()).isZero();

        // The root lives ten years; a third of that is left after about six years and eight months.
        clock.advance(Duration.ofDays(365 * 7));
        CliRun late = CliRun.run(context, "ca", "inspect", root);
        assertThat(late.exitCode()).isEqualTo(3);
        assertThat(late.err())
                .contains("certificate 1 of 1 (root CA")
                .contains("expires in")
                .contains("its expiry margin is")
                .contains("rotate it");
        assertThat(CliRun.run(context, "ca", "inspect", "--margin", "30d", root).exitCode())
                .isZero();
        assertThat(CliRun.run(context, "ca", "inspect", "--margin", "50%", root).exitCode())
                .isEqualTo(3);

        CliRun nonsense = CliRun.run(context, "ca", "inspect", "--margin", "soon", root);
        assertThat(nonsense.exitCode()).isNotIn(0, 3);
        assertThat(nonsense.err()).contains("--margin: expiry margin soon is neither a percentage");
    }

    @Test
    void inspect_refuses_a_file_without_certificates() throws Exception {
        Files.writeString(
                dir.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        CliRun run =
                CliRun.run(context, "ca", "inspect", dir.resolve("junk.pem").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refused (malformed_pem)");
    }

    private void assertRefusal(String reason, String... extra) {
        String[] args = new String[6 + extra.length];
        System.arraycopy(
                new String[] {
                    "ca",
                    "sign",
                    "--ca",
                    ca.toString(),
                    "--csr",
                    dir.resolve("req.der").toString()
                },
                0,
                args,
                0,
                6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        CliRun run = CliRun.run(context, args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("refused (" + reason + ")");
        assertThat(run.out()).isEmpty();
    }
}
