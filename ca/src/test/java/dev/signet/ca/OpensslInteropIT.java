package dev.signet.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.Openssl;
import dev.signet.ca.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real openssl judges what the CA issues: chain verification for both TLS purposes, and the text dump. */
class OpensslInteropIT {

    private static final SpiffeId CHECKOUT = SpiffeId.forServiceAccount("cluster.local", "shop", "checkout");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void leaves_from_every_ca_key_type_pass_openssl_verify(KeyType caKey) throws Exception {
        TestCa ca = TestCa.create(caKey, Clock.systemUTC());
        for (KeyPair workloadKey : List.of(Csrs.ecP256(), Csrs.ecP384(), Csrs.rsa(2048), Csrs.ed25519())) {
            X509Svid svid = ca.ca().sign(Csrs.der(workloadKey), CHECKOUT, null);
            writeAndVerify(svid, ca.authority());
        }
    }

    @Test
    void openssl_text_shows_the_uri_san_and_ca_false() throws Exception {
        TestCa ca = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        Files.writeString(
                dir.resolve("leaf.pem"),
                ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null).chainPem());
        String text = Openssl.ok(dir, "x509", "-in", "leaf.pem", "-noout", "-text");
        assertThat(text).contains("URI:spiffe://cluster.local/ns/shop/sa/checkout");
        assertThat(text).containsPattern("X509v3 Subject Alternative Name: critical\\s+URI:spiffe://");
        assertThat(text).containsPattern("X509v3 Basic Constraints: critical\\s+CA:FALSE");
        assertThat(text).containsPattern("X509v3 Key Usage: critical\\s+Digital Signature");
        assertThat(text).contains("TLS Web Server Authentication, TLS Web Client Authentication");
        assertThat(text).contains("X509v3 Subject Key Identifier").contains("X509v3 Authority Key Identifier");
    }

    @Test
    void a_leaf_under_a_new_root_with_the_cross_signed_root_verifies_for_peers_of_either_root() throws Exception {
        TestCa old = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        TestCa next = TestCa.create(KeyType.EC_P384, Clock.systemUTC());
        java.security.cert.X509Certificate cross = new dev.signet.ca.authority.AuthorityMinter(
                        old.providers(), Clock.systemUTC(), new SecureRandom())
                .crossSign(old.authority().root(), next.authority().root().certificate());
        SigningAuthority signer = next.authority().signer().withCrossSigned(cross);
        X509Svid svid = dev.signet.ca.CertificateAuthority.withSigner(
                        "cluster.local",
                        signer,
                        next.providers(),
                        IssuancePolicy.DEFAULT,
                        Clock.systemUTC(),
                        new SecureRandom())
                .sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null);
        assertThat(svid.intermediates()).hasSize(2).endsWith(cross);
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(svid.leaf()));
        Files.writeString(dir.resolve("chain.pem"), Pem.encode(svid.intermediates()));
        Files.writeString(
                dir.resolve("old-root.pem"), Pem.encode(old.authority().root().certificate()));
        Files.writeString(
                dir.resolve("new-root.pem"), Pem.encode(next.authority().root().certificate()));
        for (String root : List.of("old-root.pem", "new-root.pem")) {
            assertThat(Openssl.ok(
                            dir,
                            "verify",
                            "-CAfile",
                            root,
                            "-untrusted",
                            "chain.pem",
                            "-purpose",
                            "sslclient",
                            "leaf.pem"))
                    .as("a peer trusting only " + root)
                    .contains("leaf.pem: OK");
        }
        // Java's own PKIX validation, which gRPC-Java's TLS uses, takes the same chain with either root alone.
        for (java.security.cert.X509Certificate root : List.of(
                old.authority().root().certificate(), next.authority().root().certificate())) {
            java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("root", root);
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            ((javax.net.ssl.X509TrustManager) factory.getTrustManagers()[0])
                    .checkClientTrusted(svid.chain().toArray(java.security.cert.X509Certificate[]::new), "UNKNOWN");
        }
        Files.writeString(
                dir.resolve("foreign.pem"),
                Pem.encode(TestCa.create(KeyType.EC_P256, Clock.systemUTC())
                        .authority()
                        .root()
                        .certificate()));
        assertThat(Openssl.run(dir, "verify", "-CAfile", "foreign.pem", "-untrusted", "chain.pem", "leaf.pem")
                        .ok())
                .isFalse();
    }

    @Test
    void a_cross_signed_certificate_for_another_root_is_refused() {
        TestCa old = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        TestCa next = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        java.security.cert.X509Certificate crossForOld = new dev.signet.ca.authority.AuthorityMinter(
                        next.providers(), Clock.systemUTC(), new SecureRandom())
                .crossSign(next.authority().root(), old.authority().root().certificate());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> next.authority().signer().withCrossSigned(crossForOld))
                .isInstanceOf(CaException.class)
                .hasMessageContaining("not for this authority's root");
    }

    @Test
    void openssl_refuses_the_leaf_under_another_root() throws Exception {
        TestCa ca = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        TestCa other = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        X509Svid svid = ca.ca().sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null);
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(svid.leaf()));
        Files.writeString(dir.resolve("inter.pem"), Pem.encode(svid.intermediates()));
        Files.writeString(
                dir.resolve("root.pem"), Pem.encode(other.authority().root().certificate()));
        Openssl.Result result =
                Openssl.run(dir, "verify", "-CAfile", "root.pem", "-untrusted", "inter.pem", "leaf.pem");
        assertThat(result.ok()).isFalse();
        assertThat(result.output()).contains("unable to get");
    }

    @Test
    void a_csr_made_by_openssl_is_accepted_and_its_key_certified() throws Exception {
        Openssl.ok(
                dir,
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "key.pem",
                "-subj",
                "/CN=ignored",
                "-out",
                "req.pem");
        TestCa ca = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        X509Svid svid = ca.ca().sign(Files.readAllBytes(dir.resolve("req.pem")), CHECKOUT, null);
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(svid.leaf()));
        String certKey = Openssl.ok(dir, "x509", "-in", "leaf.pem", "-noout", "-pubkey");
        String ownKey = Openssl.ok(dir, "pkey", "-in", "key.pem", "-pubout");
        assertThat(certKey).isEqualTo(ownKey);
        writeAndVerify(svid, ca.authority());
    }

    /** Istio-style plug-in CA made entirely by openssl: root, intermediate, and a key in PKCS#1 form. */
    @Test
    void a_plug_in_ca_made_by_openssl_loads_and_issues_verifiable_leaves() throws Exception {
        Files.writeString(dir.resolve("root.cnf"), """
                [req]
                distinguished_name = dn
                [dn]
                [v3_root]
                basicConstraints = critical, CA:true
                keyUsage = critical, keyCertSign, cRLSign
                subjectKeyIdentifier = hash
                [v3_inter]
                basicConstraints = critical, CA:true, pathlen:0
                keyUsage = critical, keyCertSign, cRLSign
                subjectKeyIdentifier = hash
                authorityKeyIdentifier = keyid
                subjectAltName = URI:spiffe://cluster.local
                """);
        Openssl.ok(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "root-key.pem",
                "-subj",
                "/O=Plug/CN=Plug Root",
                "-days",
                "30",
                "-config",
                "root.cnf",
                "-extensions",
                "v3_root",
                "-out",
                "root-cert.pem");
        Openssl.ok(dir, "genrsa", "-traditional", "-out", "ca-key.pem", "2048");
        Openssl.ok(
                dir,
                "req",
                "-new",
                "-key",
                "ca-key.pem",
                "-subj",
                "/O=Plug/CN=Plug Intermediate",
                "-config",
                "root.cnf",
                "-out",
                "ca.csr");
        Openssl.ok(
                dir,
                "x509",
                "-req",
                "-in",
                "ca.csr",
                "-CA",
                "root-cert.pem",
                "-CAkey",
                "root-key.pem",
                "-CAcreateserial",
                "-days",
                "20",
                "-extfile",
                "root.cnf",
                "-extensions",
                "v3_inter",
                "-out",
                "ca-cert.pem");
        assertThat(Files.readString(dir.resolve("ca-key.pem"))).contains("BEGIN RSA PRIVATE KEY");
        Files.writeString(
                dir.resolve("cert-chain.pem"),
                Files.readString(dir.resolve("ca-cert.pem")) + Files.readString(dir.resolve("root-cert.pem")));
        Files.delete(dir.resolve("root-key.pem"));

        CryptoProviders providers = CryptoProviders.detect();
        CaDirectory.Contents loaded = new CaDirectory(dir).load(providers);
        SigningAuthority signer = loaded.signer();
        assertThat(loaded.rootKey()).isEmpty();
        assertThat(signer.trustDomain()).contains("cluster.local");
        CertificateAuthority ca = CertificateAuthority.withSigner(
                "cluster.local", signer, providers, IssuancePolicy.DEFAULT, Clock.systemUTC(), new SecureRandom());
        X509Svid svid = ca.sign(Csrs.der(Csrs.ecP256()), CHECKOUT, null);
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(svid.leaf()));
        assertThat(Openssl.ok(
                        dir,
                        "verify",
                        "-CAfile",
                        "root-cert.pem",
                        "-untrusted",
                        "ca-cert.pem",
                        "-purpose",
                        "sslclient",
                        "leaf.pem"))
                .contains("leaf.pem: OK");
    }

    @Test
    void a_serving_certificate_verifies_for_its_host_names_with_openssl() throws Exception {
        TestCa ca = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        KeyPair keys = Csrs.ecP256();
        X509Svid svid = ca.ca()
                .signServing(
                        keys.getPublic(),
                        SpiffeId.forServiceAccount("cluster.local", "signet-system", "signet"),
                        null,
                        new dev.signet.ca.issue.ServerNames(
                                List.of("localhost", "signet.signet-system.svc"), List.of("127.0.0.1")));
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(svid.leaf()));
        Files.writeString(dir.resolve("inter.pem"), Pem.encode(svid.intermediates()));
        Files.writeString(dir.resolve("root.pem"), svid.rootsPem());
        assertThat(Openssl.ok(
                        dir,
                        "verify",
                        "-CAfile",
                        "root.pem",
                        "-untrusted",
                        "inter.pem",
                        "-purpose",
                        "sslserver",
                        "-verify_hostname",
                        "signet.signet-system.svc",
                        "leaf.pem"))
                .contains("leaf.pem: OK");
        assertThat(Openssl.ok(
                        dir,
                        "verify",
                        "-CAfile",
                        "root.pem",
                        "-untrusted",
                        "inter.pem",
                        "-verify_ip",
                        "127.0.0.1",
                        "leaf.pem"))
                .contains("leaf.pem: OK");
        assertThat(Openssl.run(
                                dir,
                                "verify",
                                "-CAfile",
                                "root.pem",
                                "-untrusted",
                                "inter.pem",
                                "-verify_hostname",
                                "evil.example",
                                "leaf.pem")
                        .ok())
                .isFalse();
        assertThat(SpiffeId.fromCertificate(svid.leaf()).uri())
                .isEqualTo("spiffe://cluster.local/ns/signet-system/sa/signet");
    }

    private void writeAndVerify(X509Svid svid, MintedAuthority authority) throws Exception {
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(svid.leaf()));
        Files.writeString(dir.resolve("inter.pem"), Pem.encode(svid.intermediates()));
        Files.writeString(dir.resolve("root.pem"), svid.rootsPem());
        assertThat(svid.roots()).containsExactly(authority.root().certificate());
        for (String purpose : List.of("sslclient", "sslserver")) {
            String output = Openssl.ok(
                    dir, "verify", "-CAfile", "root.pem", "-untrusted", "inter.pem", "-purpose", purpose, "leaf.pem");
            assertThat(output).contains("leaf.pem: OK");
        }
    }
}
