package dev.signet.ca.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.testing.Openssl;
import dev.signet.ca.testing.TestCa;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustBundleTest {

    private static final X509Certificate R1 =
            TestCa.create(KeyType.EC_P256, Clock.systemUTC()).authority().root().certificate();
    private static final X509Certificate R2 =
            TestCa.create(KeyType.EC_P384, Clock.systemUTC()).authority().root().certificate();
    private static final X509Certificate R3 = TestCa.create(KeyType.RSA_2048, Clock.systemUTC())
            .authority()
            .root()
            .certificate();

    @TempDir
    Path dir;

    @Test
    void the_version_moves_only_when_the_set_of_roots_changes() {
        TrustBundle v1 = TrustBundle.of(List.of(R1));
        assertThat(v1.version()).isEqualTo(1);
        TrustBundle v2 = v1.withRoots(List.of(R1, R2));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.withRoots(List.of(R2, R1))).isSameAs(v2);
        assertThat(v2.withRoots(List.of(R1, R2, R1))).isSameAs(v2);
        TrustBundle v3 = v2.withRoots(List.of(R2));
        assertThat(v3.version()).isEqualTo(3);
        assertThat(v3.contains(Fingerprints.sha256(R1))).isFalse();
        assertThat(v3.contains(Fingerprints.sha256(R2))).isTrue();
    }

    @Test
    void roots_are_named_by_their_sha256_fingerprint_as_openssl_computes_it() throws Exception {
        Files.writeString(dir.resolve("r1.pem"), Pem.encode(R1));
        String openssl = Openssl.ok(dir, "x509", "-in", "r1.pem", "-noout", "-fingerprint", "-sha256");
        String fingerprint = TrustBundle.of(List.of(R1)).fingerprints().get(0);
        assertThat(openssl.trim()).endsWith("=" + Fingerprints.colonSeparated(fingerprint));
    }

    @Test
    void the_pem_form_holds_every_root_and_openssl_reads_it() throws Exception {
        TrustBundle bundle = TrustBundle.of(List.of(R1, R2, R3));
        assertThat(Pem.certificates(bundle.toPem())).containsExactly(R1, R2, R3);
        Files.writeString(dir.resolve("bundle.pem"), bundle.toPem());
        String listed = Openssl.ok(dir, "crl2pkcs7", "-nocrl", "-certfile", "bundle.pem");
        assertThat(listed).contains("BEGIN PKCS7");
    }

    @Test
    void an_empty_bundle_is_refused() {
        assertThatThrownBy(() -> TrustBundle.of(List.of())).hasMessageContaining("at least one root");
        assertThatThrownBy(() -> TrustBundle.of(0, List.of(R1))).hasMessageContaining("starts at 1");
    }

    @Test
    void the_spiffe_bundle_is_a_jwk_set_whose_keys_rebuild_the_roots_keys() throws Exception {
        TrustBundle bundle = TrustBundle.of(List.of(R1)).withRoots(List.of(R1, R2, R3));
        String json = new SpiffeBundleJson(new ObjectMapper()).write(bundle, Duration.ofMinutes(5));
        JsonNode document = new ObjectMapper().readTree(json);
        assertThat(document.get("spiffe_sequence").asLong()).isEqualTo(2);
        assertThat(document.get("spiffe_refresh_hint").asLong()).isEqualTo(300);
        JsonNode keys = document.get("keys");
        assertThat(keys).hasSize(3);
        List<X509Certificate> roots = List.of(R1, R2, R3);
        for (int i = 0; i < 3; i++) {
            JsonNode key = keys.get(i);
            assertThat(key.get("use").asText()).isEqualTo("x509-svid");
            byte[] x5c = Base64.getDecoder().decode(key.get("x5c").get(0).asText());
            assertThat(x5c).isEqualTo(roots.get(i).getEncoded());
            assertThat(rebuild(key)).isEqualTo(roots.get(i).getPublicKey());
        }
        assertThat(keys.get(0).get("crv").asText()).isEqualTo("P-256");
        assertThat(Base64.getUrlDecoder().decode(keys.get(0).get("x").asText())).hasSize(32);
        assertThat(keys.get(1).get("crv").asText()).isEqualTo("P-384");
        assertThat(Base64.getUrlDecoder().decode(keys.get(1).get("y").asText())).hasSize(48);
        assertThat(keys.get(2).get("kty").asText()).isEqualTo("RSA");
    }

    private static PublicKey rebuild(JsonNode jwk) throws Exception {
        if (jwk.get("kty").asText().equals("RSA")) {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")));
        }
        X509Certificate sameCurve = jwk.get("crv").asText().equals("P-256") ? R1 : R2;
        ECPublicKeySpec spec = new ECPublicKeySpec(
                new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y")),
                ((ECPublicKey) sameCurve.getPublicKey()).getParams());
        return KeyFactory.getInstance("EC").generatePublic(spec);
    }

    private static BigInteger unsigned(JsonNode jwk, String field) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get(field).asText()));
    }
}
