package dev.signet.ca.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.Openssl;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateSignerTest {

    @TempDir
    Path dir;

    private static KeyPair keys(String kind) {
        return switch (kind) {
            case "P-256" -> Csrs.ecP256();
            case "P-384" -> Csrs.ecP384();
            case "RSA-4096" -> Csrs.rsa(4096); // a 512-octet signature: lengths past one octet everywhere
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static TBSCertificate tbs(AlgorithmIdentifier algorithm, KeyPair keys, String subject) {
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(BigInteger.valueOf(4242)));
        tbs.setSignature(algorithm);
        tbs.setIssuer(new X500Name("CN=" + subject));
        tbs.setStartDate(CertificateTimes.of(Instant.parse("2026-12-04T10:00:00Z")));
        tbs.setEndDate(CertificateTimes.of(Instant.parse("2026-12-05T10:00:00Z")));
        tbs.setSubject(new X500Name("CN=" + subject));
        tbs.setSubjectPublicKeyInfo(
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
        return tbs.generateTBSCertificate();
    }

    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-384", "RSA-4096"}) // the kinds of CA key (KeyType)
    void writes_a_certificate_that_the_jdk_bouncy_castle_and_openssl_all_read_and_verify(String kind) throws Exception {
        KeyPair keys = keys(kind);
        CryptoProviders providers = CryptoProviders.detect();
        String algorithm = SignatureAlgorithmForKey.of(keys.getPublic());
        CertificateSigner signer = new CertificateSigner(providers, algorithm, providers.signingKey(keys.getPrivate()));
        // A long subject makes the TBSCertificate itself need a multi-octet length for every key kind.
        TBSCertificate tbs = tbs(signer.algorithmIdentifier(), keys, "x".repeat(300));

        byte[] der = signer.sign(tbs);

        Certificate parsed = Certificate.getInstance(der);
        assertThat(parsed.getEncoded(ASN1Encoding.DER)).as("canonical DER").isEqualTo(der);
        assertThat(parsed.getTBSCertificate()).isEqualTo(tbs);
        assertThat(parsed.getSignatureAlgorithm()).isEqualTo(signer.algorithmIdentifier());
        X509Certificate jdk = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        jdk.verify(keys.getPublic());
        Path file = Files.write(dir.resolve("self-signed.der"), der);
        Openssl.ok(dir, "verify", "-CAfile", pem(der), "-check_ss_sig", "-no_check_time", pem(der));
        assertThat(Openssl.ok(dir, "x509", "-inform", "DER", "-in", file.toString(), "-noout", "-serial"))
                .contains("serial=1092");
    }

    private String pem(byte[] der) throws Exception {
        Path file = dir.resolve("self-signed.pem");
        Files.writeString(file, Pem.encode("CERTIFICATE", der));
        return file.toString();
    }

    @Test
    void refuses_a_tbs_certificate_that_names_another_algorithm() {
        KeyPair keys = Csrs.ecP256();
        CryptoProviders providers = CryptoProviders.detect();
        CertificateSigner signer = new CertificateSigner(providers, "SHA256withECDSA", keys.getPrivate());
        TBSCertificate other = tbs(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384), keys, "mismatch");

        assertThatThrownBy(() -> signer.sign(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.2.840.10045.4.3.3");
    }
}
