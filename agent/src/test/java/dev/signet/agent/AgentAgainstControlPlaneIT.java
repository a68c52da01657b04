package dev.signet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.Openssl;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.state.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a real control plane on loopback: real TLS, real gRPC, files checked by openssl. */
class AgentAgainstControlPlaneIT {

    private static final WorkloadIdentity CHECKOUT = new WorkloadIdentity("shop", "checkout");

    @TempDir
    Path dir;

    private ControlPlane controlPlane;
    private Path token;
    private Path out;

    @BeforeEach
    void start() throws Exception {
        controlPlane = ControlPlane.startEphemeral(dir.resolve("state"));
        token = dir.resolve("token");
        out = dir.resolve("certs");
        Files.writeString(
                token,
                controlPlane.tokenIssuer().issue(CHECKOUT, Duration.ofMinutes(10), LocalTokenIssuer.DEFAULT_AUDIENCE));
    }

    @AfterEach
    void stop() throws Exception {
        controlPlane.close();
    }

    private Agent agent() {
        return Agent.create(
                AgentConfig.of("localhost:" + controlPlane.grpcPort(), dir.resolve("state/root-cert.pem"), token, out),
                Clock.systemUTC(),
                new SecureRandom());
    }

    @Test
    void a_token_gets_a_certificate_for_exactly_its_identity_and_the_files_verify_with_openssl() throws Exception {
        IssuedCredential issued = agent().renewOnce();
        assertThat(issued.spiffeId()).isEqualTo("spiffe://cluster.local/ns/shop/sa/checkout");
        assertThat(SpiffeId.fromCertificate(issued.chain().get(0)).uri()).isEqualTo(issued.spiffeId());
        assertThat(issued.trustBundleVersion()).isEqualTo(1);

        assertThat(Openssl.ok(
                        out,
                        "verify",
                        "-CAfile",
                        "root-cert.pem",
                        "-untrusted",
                        "cert-chain.pem",
                        "-purpose",
                        "sslclient",
                        "cert-chain.pem"))
                .contains("cert-chain.pem: OK");
        assertThat(Openssl.ok(out, "x509", "-in", "cert-chain.pem", "-noout", "-pubkey"))
                .isEqualTo(Openssl.ok(out, "pkey", "-in", "key.pem", "-pubout"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("key.pem"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(out.resolve("root-cert.pem")))
                .isEqualTo(Files.readString(dir.resolve("state/root-cert.pem")));
        assertThat(controlPlane.metrics().issuedCount()).isEqualTo(1);
    }

    @Test
    void every_request_uses_a_new_key_and_renewal_works_with_the_current_certificate_alone() throws Exception {
        Agent agent = agent();
        IssuedCredential first = agent.renewOnce();
        Files.delete(token);
        IssuedCredential second = agent.renewOnce();
        assertThat(second.spiffeId()).isEqualTo(first.spiffeId());
        assertThat(second.chain().get(0).getPublicKey())
                .isNotEqualTo(first.chain().get(0).getPublicKey());
        assertThat(second.chain().get(0).getSerialNumber())
                .isNotEqualTo(first.chain().get(0).getSerialNumber());
    }

    @Test
    void a_forged_token_is_refused_and_no_file_is_written() throws Exception {
        KeyPair other = KeyType.EC_P256.generate(CryptoProviders.detect(), new SecureRandom());
        Files.writeString(
                token,
                new LocalTokenIssuer(other, Clock.systemUTC())
                        .issue(CHECKOUT, Duration.ofMinutes(10), LocalTokenIssuer.DEFAULT_AUDIENCE));
        assertRefused("bad_signature");
        assertThat(out).doesNotExist();
        assertThat(controlPlane.metrics().refusedCounts()).containsEntry("bad_signature", 1L);
    }

    @Test
    void an_expired_token_gets_no_certificate() throws Exception {
        Clock twoHoursAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
        KeyPair realKey = new StateDirectory(dir.resolve("state"))
                .loadOrCreateTokenKey(CryptoProviders.detect(), new SecureRandom());
        Files.writeString(
                token, new LocalTokenIssuer(realKey, twoHoursAgo).issue(CHECKOUT, Duration.ofMinutes(10), "signet-ca"));
        assertRefused("expired");
    }

    @Test
    void a_token_for_another_audience_is_refused() throws Exception {
        Files.writeString(token, controlPlane.tokenIssuer().issue(CHECKOUT, Duration.ofMinutes(10), "kubernetes"));
        assertRefused("wrong_audience");
    }

    @Test
    void an_unsigned_or_hmac_token_is_refused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(LocalTokenIssuer.ISSUER)
                .subject("system:serviceaccount:kube-system:admin")
                .audience("signet-ca")
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build();
        Files.writeString(token, new PlainJWT(claims).serialize());
        assertRefused("malformed");
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));
        Files.writeString(token, hmac.serialize());
        assertRefused("wrong_algorithm");
    }

    @Test
    void garbage_instead_of_a_token_is_refused() throws Exception {
        Files.writeString(token, "not-a-jwt");
        assertRefused("malformed");
        Files.writeString(token, "x".repeat(9000));
        assertRefused("too_large");
    }

    @Test
    void the_csr_cannot_choose_the_identity() throws Exception {
        KeyPair keys = Csrs.ecP256();
        byte[] csr = Csrs.der(keys, "SHA256withECDSA", "CN=admin", "spiffe://cluster.local/ns/kube-system/sa/admin");
        IssuedCredential issued = new CertificateClient("localhost:" + controlPlane.grpcPort())
                .request(
                        keys,
                        csr,
                        null,
                        0,
                        Pem.certificates(Files.readString(dir.resolve("state/root-cert.pem"))),
                        Optional.of(Files.readString(token)),
                        Optional.empty());
        assertThat(issued.spiffeId()).isEqualTo("spiffe://cluster.local/ns/shop/sa/checkout");
        assertThat(SpiffeId.fromCertificate(issued.chain().get(0)).uri())
                .isEqualTo("spiffe://cluster.local/ns/shop/sa/checkout");
    }

    @Test
    void hostile_csrs_are_refused_with_the_reason() throws Exception {
        KeyPair weak = Csrs.rsa(1024);
        assertThatThrownBy(() -> new CertificateClient("localhost:" + controlPlane.grpcPort())
                        .request(
                                weak,
                                Csrs.der(weak),
                                null,
                                0,
                                Pem.certificates(Files.readString(dir.resolve("state/root-cert.pem"))),
                                Optional.of(Files.readString(token)),
                                Optional.empty()))
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.reason()).isEqualTo("weak_key"))
                .hasMessageContaining("INVALID_ARGUMENT");
        KeyPair keys = Csrs.ecP256();
        assertThatThrownBy(() -> new CertificateClient("localhost:" + controlPlane.grpcPort())
                        .request(
                                keys,
                                new byte[100_000],
                                null,
                                0,
                                Pem.certificates(Files.readString(dir.resolve("state/root-cert.pem"))),
                                Optional.of(Files.readString(token)),
                                Optional.empty()))
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.reason()).isEqualTo("resource_exhausted"));
        assertThatThrownBy(() -> new CertificateClient("localhost:" + controlPlane.grpcPort())
                        .request(
                                keys,
                                Csrs.der(keys),
                                Duration.ofDays(30),
                                0,
                                Pem.certificates(Files.readString(dir.resolve("state/root-cert.pem"))),
                                Optional.of(Files.readString(token)),
                                Optional.empty()))
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.reason()).isEqualTo("ttl_exceeds_maximum"));
    }

    @Test
    void an_agent_trusting_another_root_will_not_talk_to_the_control_plane() throws Exception {
        Path foreign = dir.resolve("foreign-root.pem");
        try (ControlPlane other = ControlPlane.startEphemeral(dir.resolve("other"))) {
            Files.copy(dir.resolve("other/root-cert.pem"), foreign);
        }
        Agent agent = Agent.create(
                AgentConfig.of("localhost:" + controlPlane.grpcPort(), foreign, token, out),
                Clock.systemUTC(),
                new SecureRandom());
        assertThatThrownBy(agent::renewOnce)
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.reason()).isEqualTo("unavailable"));
    }

    @Test
    void a_restarted_control_plane_keeps_its_ca() throws Exception {
        String root = Files.readString(dir.resolve("state/root-cert.pem"));
        controlPlane.close();
        controlPlane = ControlPlane.startEphemeral(dir.resolve("state"));
        assertThat(Files.readString(dir.resolve("state/root-cert.pem"))).isEqualTo(root);
        Files.writeString(token, controlPlane.tokenIssuer().issue(CHECKOUT, Duration.ofMinutes(10), "signet-ca"));
        assertThat(agent().renewOnce().spiffeId()).endsWith("/ns/shop/sa/checkout");
    }

    private void assertRefused(String reason) {
        assertThatThrownBy(() -> agent().renewOnce())
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining("UNAUTHENTICATED");
    }

    @Test
    void a_renewal_tells_the_inventory_that_the_old_leaf_is_no_longer_in_use() throws Exception {
        Agent agent = agent();
        String root = controlPlane.trustBundle().fingerprints().get(0);
        IssuedCredential first = agent.renewOnce();
        long before = controlPlane
                .ca()
                .leaves()
                .inUseUnder(root, java.time.Instant.now(), 0)
                .total();
        IssuedCredential second = agent.renewOnce();
        assertThat(second.chain().get(0).getSerialNumber())
                .isNotEqualTo(first.chain().get(0).getSerialNumber());
        assertThat(controlPlane
                        .ca()
                        .leaves()
                        .inUseUnder(root, java.time.Instant.now(), 0)
                        .total())
                .as("the second leaf replaced the first")
                .isEqualTo(before);
        assertThat(controlPlane
                        .ca()
                        .leaves()
                        .inUseUnder(root, java.time.Instant.now(), 100)
                        .first())
                .extracting(dev.signet.ca.inventory.IssuedLeaf::serial)
                .contains(second.chain().get(0).getSerialNumber())
                .doesNotContain(first.chain().get(0).getSerialNumber());
    }
}
