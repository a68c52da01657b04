package dev.signet.ca.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Workload-side key pairs and CSRs for tests, as a workload would make them. */
public final class Csrs {

    private static final Provider BC = new BouncyCastleProvider();

    private Csrs() {}

    public static KeyPair ecP256() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    public static KeyPair ecP384() {
        return generate("EC", new ECGenParameterSpec("secp384r1"));
    }

    public static KeyPair ec(String curve) {
        return generate("EC", new ECGenParameterSpec(curve));
    }

    public static KeyPair rsa(int bits) {
        return generate("RSA", new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
    }

    public static KeyPair rsa(int bits, BigInteger exponent) {
        return generate("RSA", new RSAKeyGenParameterSpec(bits, exponent));
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", BC).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DER CSR signed with the algorithm that fits the key, asking for a subject and (falsely) a SPIFFE ID. */
    public static byte[] der(KeyPair keys) {
        return der(keys, defaultAlgorithm(keys), "CN=evil", "spiffe://cluster.local/ns/kube-system/sa/admin");
    }

    public static byte[] der(KeyPair keys, String signatureAlgorithm, String subject, String requestedUri) {
        return der(keys, keys.getPrivate(), signatureAlgorithm, subject, requestedUri);
    }

    /** A CSR whose signature is made with {@code signingKey}, which need not belong to {@code keys}. */
    public static byte[] der(
            KeyPair keys, PrivateKey signingKey, String signatureAlgorithm, String subject, String requestedUri) {
        try {
            PKCS10CertificationRequestBuilder builder =
                    new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
            if (requestedUri != null) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, requestedUri)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            return builder.build(new JcaContentSignerBuilder(signatureAlgorithm)
                            .setProvider(BC)
                            .build(signingKey))
                    .getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] pem(byte[] der) {
        return dev.signet.ca.crypto.Pem.encode("CERTIFICATE REQUEST", der)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public static String defaultAlgorithm(KeyPair keys) {
        return switch (keys.getPublic().getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
    }

    private static KeyPair generate(String algorithm, AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, BC);
            generator.initialize(spec);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
