package dev.signet.ca.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.CaException;
import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.authority.CertifiedKey;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.bundle.SpiffeBundleJson;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwtSvidTest {

    private static final String TD = TestCa.TRUST_DOMAIN;
    private static final SpiffeId CHECKOUT = SpiffeId.forServiceAccount(TD, "shop", "checkout");

    private final MutableClock clock = MutableClock.at("2026-12-03T10:00:00Z");
    private final ObjectMapper mapper = new ObjectMapper();
    private final TestCa testCa = TestCa.create(KeyType.EC_P256, clock);
    private final JwtSigningKey key = testCa.authority().signer().jwtKey();
    private final JwtSvidIssuer issuer = new JwtSvidIssuer(clock, JwtSvidIssuer.DEFAULT_TTL, mapper);
    private final JwtSvidValidator validator = new JwtSvidValidator(mapper, clock);

    @Test
    void aMintedTokenValidatesForEachOfItsAudiencesUntilItExpires() {
        JwtSvid svid = testCa.ca().signJwt(CHECKOUT, List.of("payments", "ledger", "payments"));

        assertThat(svid.audience()).containsExactly("payments", "ledger");
        assertThat(svid.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        JwtSvidValidator.Validated valid = validator.validate(svid.token(), "ledger", List.of(key.publicKey()), TD);
        assertThat(valid.id()).isEqualTo(CHECKOUT);
        assertThat(valid.claims().get("sub").asText()).isEqualTo(CHECKOUT.uri());
        assertThat(header(svid.token())).contains("\"alg\":\"ES256\"", "\"kid\":\"" + key.keyId() + "\"");

        assertThatThrownBy(() -> validator.validate(svid.token(), "shipping", List.of(key.publicKey()), TD))
                .hasMessageContaining("not for audience \"shipping\"");
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> validator.validate(svid.token(), "ledger", List.of(key.publicKey()), TD))
                .isInstanceOf(CaException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void opensslVerifiesTheEs256SignatureWithThePublishedKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String[] parts =
                testCa.ca().signJwt(CHECKOUT, List.of("payments")).token().split("\\.");
        byte[] joined = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(joined).as("r || s, 32 bytes each").hasSize(64);
        byte[] der = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new org.bouncycastle.asn1.ASN1Integer(
                            new java.math.BigInteger(1, java.util.Arrays.copyOf(joined, 32))),
                    new org.bouncycastle.asn1.ASN1Integer(
                            new java.math.BigInteger(1, java.util.Arrays.copyOfRange(joined, 32, 64)))
                })
                .getEncoded();
        java.nio.file.Files.write(dir.resolve("sig.der"), der);
        java.nio.file.Files.writeString(dir.resolve("input"), parts[0] + "." + parts[1]);
        java.nio.file.Files.writeString(
                dir.resolve("key.pem"),
                dev.signet.ca.crypto.Pem.encode("PUBLIC KEY", key.publicKey().der()));

        assertThat(dev.signet.ca.testing.Openssl.ok(
                        dir, "dgst", "-sha256", "-verify", "key.pem", "-signature", "sig.der", "input"))
                .contains("Verified OK");
        java.nio.file.Files.writeString(dir.resolve("input"), parts[0] + "." + parts[1] + "x");
        assertThat(dev.signet.ca.testing.Openssl.run(
                                dir, "dgst", "-sha256", "-verify", "key.pem", "-signature", "sig.der", "input")
                        .ok())
                .isFalse();
    }

    @Test
    void theKeyIsDerivedTheSameWayFromTheSameSecretAndDiffersBetweenAuthorities() {
        JwtSigningKey again = JwtSigningKey.derivedFrom(
                testCa.authority().signer().certifiedKey().privateKey());
        TestCa other = TestCa.create(KeyType.RSA_2048, clock);

        assertThat(again.keyId()).isEqualTo(key.keyId());
        assertThat(again.publicKey().der()).isEqualTo(key.publicKey().der());
        assertThat(other.authority().signer().jwtKey().keyId()).isNotEqualTo(key.keyId());
        assertThat(JwtKey.fromDer(key.publicKey().der())).isEqualTo(key.publicKey());
    }

    @Test
    void withItsRootKeyAnAuthorityKeepsItsJwtKeyAcrossANewIssuer() {
        CryptoProviders providers = testCa.providers();
        AuthorityMinter minter = new AuthorityMinter(providers, clock, new SecureRandom());
        MintedAuthority minted = minter.mint(TD, KeyType.EC_P256);
        SigningAuthority loaded = CaMaterial.of(minted, "test").load(providers).signer();
        CertifiedKey newIssuer = minter.newIntermediate(minted.root(), TD, KeyType.EC_P256, Duration.ofDays(30));
        SigningAuthority replaced = CaMaterial.of(
                        new MintedAuthority(
                                minted.root(),
                                SigningAuthority.of(
                                        newIssuer, List.of(), minted.root().certificate(), providers)),
                        "test")
                .load(providers)
                .signer();

        assertThat(replaced.certificate()).isNotEqualTo(loaded.certificate());
        assertThat(replaced.jwtKey().keyId()).isEqualTo(loaded.jwtKey().keyId());
        assertThatThrownBy(() -> loaded.withRootKey(newIssuer.privateKey()))
                .hasMessageContaining("does not belong to the root certificate");
    }

    @Test
    void forgedAndMalformedTokensAreRefusedWithTheCheckThatFailed() {
        String good = issuer.issue(key, CHECKOUT, List.of("payments")).token();
        String[] parts = good.split("\\.");
        JwtKey stranger = TestCa.create(KeyType.EC_P256, clock)
                .authority()
                .signer()
                .jwtKey()
                .publicKey();

        assertRefused(good, "payments", List.of(stranger), "no key \"" + key.keyId() + "\"");
        assertRefused("a.b", "payments", List.of(key.publicKey()), "three dot-separated parts");
        assertRefused(
                encode("{\"alg\":\"none\",\"kid\":\"" + key.keyId() + "\"}") + "." + parts[1] + ".",
                "payments",
                List.of(key.publicKey()),
                "algorithm \"none\" is not accepted");
        String otherSubject =
                encode("{\"sub\":\"spiffe://cluster.local/ns/kube-system/sa/admin\",\"aud\":[\"payments\"],"
                        + "\"exp\":" + (clock.instant().getEpochSecond() + 60) + "}");
        assertRefused(
                parts[0] + "." + otherSubject + "." + parts[2], "payments", List.of(key.publicKey()), "signature");
        assertRefused(good, "", List.of(key.publicKey()), "audience to validate for is required");
        assertRefused(
                "x".repeat(JwtSvidValidator.MAX_TOKEN_LENGTH + 1), "payments", List.of(key.publicKey()), "longer");
    }

    @Test
    void claimsSignedByTheRightKeyStillMustNameAWorkloadOfTheTrustDomainOnce() {
        assertRefused(
                signed("{\"sub\":\"spiffe://other.org/ns/a/sa/b\",\"aud\":\"x\",\"exp\":" + later() + "}"),
                "x",
                List.of(key.publicKey()),
                "not a workload of trust domain cluster.local");
        assertRefused(
                signed("{\"sub\":\"spiffe://cluster.local\",\"aud\":\"x\",\"exp\":" + later() + "}"),
                "x",
                List.of(key.publicKey()),
                "not a workload");
        assertRefused(
                signed("{\"sub\":\"spiffe://cluster.local/a\",\"aud\":\"x\"}"),
                "x",
                List.of(key.publicKey()),
                "no numeric exp");
        assertRefused(
                signed("{\"sub\":\"spiffe://cluster.local/a\",\"aud\":\"x\",\"aud\":\"y\",\"exp\":" + later() + "}"),
                "x",
                List.of(key.publicKey()),
                "not valid JSON");
        assertThat(validator
                        .validate(
                                signed("{\"sub\":\"spiffe://cluster.local/a\",\"aud\":\"x\",\"exp\":" + later() + "}"),
                                "x",
                                List.of(key.publicKey()),
                                TD)
                        .id())
                .isEqualTo(SpiffeId.parse("spiffe://cluster.local/a"));
    }

    @Test
    void audiencesAreBoundedInNumberAndLength() {
        List<String> many = java.util.stream.IntStream.range(0, 10_000)
                .mapToObj(i -> "aud-" + i)
                .toList();

        assertThatThrownBy(() -> issuer.issue(key, CHECKOUT, many))
                .isInstanceOf(CaException.class)
                .hasMessageContaining("at most 64 audiences; 10000 were asked")
                .extracting(e -> ((CaException) e).reason())
                .isEqualTo(CaException.Reason.INVALID_AUDIENCE);
        assertThatThrownBy(() -> issuer.issue(key, CHECKOUT, List.of())).hasMessageContaining("at least one audience");
        assertThatThrownBy(() -> issuer.issue(key, CHECKOUT, List.of(" "))).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> issuer.issue(key, CHECKOUT, List.of("a".repeat(513))))
                .hasMessageContaining("at most 512 characters");
        assertThat(issuer.issue(key, CHECKOUT, Collections.nCopies(64, "a")).audience())
                .containsExactly("a");
    }

    @Test
    void theBundlePublishesEachAuthoritysJwtKeyBesideItsRoot() throws Exception {
        SigningAuthority first = testCa.authority().signer();
        SigningAuthority second =
                TestCa.create(KeyType.EC_P256, clock).authority().signer();
        TrustBundle both = TrustBundle.of(2, List.of(first, second));
        TrustBundle one = TrustBundle.of(3, List.of(second));

        assertThat(both.jwtKeys())
                .extracting(JwtKey::keyId)
                .containsExactly(first.jwtKey().keyId(), second.jwtKey().keyId());
        String json = new SpiffeBundleJson(mapper).write(both, Duration.ofMinutes(5));
        var keys = mapper.readTree(json).get("keys");
        assertThat(keys).hasSize(4);
        assertThat(keys.get(2).get("use").asText()).isEqualTo("jwt-svid");
        assertThat(keys.get(2).get("kid").asText()).isEqualTo(first.jwtKey().keyId());
        assertThat(keys.get(2).has("x5c")).isFalse();
        assertThat(List.of(
                        keys.get(0).get("use").asText(), keys.get(1).get("use").asText()))
                .containsOnly("x509-svid");
        assertThat(one.jwtKeys())
                .extracting(JwtKey::keyId)
                .containsExactly(second.jwtKey().keyId());
        assertThat(TrustBundle.of(2, List.of(first.root(), second.root()))).isNotEqualTo(both);
    }

    @Test
    void theLifetimeSettingIsBounded() {
        assertThatThrownBy(() -> new JwtSvidIssuer(clock, Duration.ofHours(2), mapper))
                .hasMessageContaining("between");
        assertThatThrownBy(() -> new JwtSvidIssuer(clock, Duration.ofSeconds(5), mapper))
                .hasMessageContaining("between");
    }

    private void assertRefused(String token, String audience, List<JwtKey> keys, String message) {
        assertThatThrownBy(() -> validator.validate(token, audience, keys, TD))
                .isInstanceOf(CaException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((CaException) e).reason())
                .isEqualTo(CaException.Reason.INVALID_JWT_SVID);
    }

    private String signed(String claims) {
        String input = encode("{\"alg\":\"ES256\",\"kid\":\"" + key.keyId() + "\"}") + "." + encode(claims);
        return input + "." + JwtKey.base64Url(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private long later() {
        return clock.instant().getEpochSecond() + 60;
    }

    private static String encode(String json) {
        return JwtKey.base64Url(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
    }
}
