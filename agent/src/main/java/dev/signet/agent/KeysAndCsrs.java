package dev.signet.agent;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A fresh P-256 key pair and a CSR over it: the subject is empty, because the CA decides the identity anyway. */
public final class KeysAndCsrs {

    private KeysAndCsrs() {
    }

    static KeyPair newKey(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }

    /** Whether {@code key} is the private half of {@code certified}: a signature by one verifies with the other. */
    public static boolean fits(java.security.PrivateKey key, java.security.PublicKey certified) {
        try {
            byte[] probe = "signet-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            String algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> "SHA256withECDSA";
            };
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A PKCS#8 key as the JDK's own EC key class, which TLS and signatures here expect. */
    static java.security.PrivateKey jdkKey(java.security.PrivateKey key) throws GeneralSecurityException {
        return java.security.KeyFactory.getInstance("EC").generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
    }

    static byte[] csr(KeyPair keys) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build a CSR", e);
        }
    }
}
