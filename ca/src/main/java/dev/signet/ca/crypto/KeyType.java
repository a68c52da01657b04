package dev.signet.ca.crypto;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The key types Signet can generate for its authorities (and workloads), with their signature algorithms. */
public enum KeyType {
    EC_P256("ec-p256", "EC", "SHA256withECDSA"),
    EC_P384("ec-p384", "EC", "SHA384withECDSA"),
    RSA_2048("rsa-2048", "RSA", "SHA256withRSA"),
    RSA_3072("rsa-3072", "RSA", "SHA256withRSA"),
    RSA_4096("rsa-4096", "RSA", "SHA256withRSA");

    private final String cliName;
    private final String jcaAlgorithm;
    private final String signatureAlgorithm;

    KeyType(String cliName, String jcaAlgorithm, String signatureAlgorithm) {
        this.cliName = cliName;
        this.jcaAlgorithm = jcaAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The name used on the command line and in configuration, e.g. {@code ec-p256}. */
    public String cliName() {
        return cliName;
    }

    /** The JCA key algorithm: {@code EC} or {@code RSA}. */
    public String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    /** The signature algorithm a CA with this key signs with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public KeyPair generate(CryptoProviders providers, SecureRandom random) {
        try {
            KeyPairGenerator generator =
                    KeyPairGenerator.getInstance(jcaAlgorithm, providers.forKeyGeneration(jcaAlgorithm));
            generator.initialize(parameters(), random);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("cannot generate a " + cliName + " key", e);
        }
    }

    private AlgorithmParameterSpec parameters() {
        return switch (this) {
            case EC_P256 -> new ECGenParameterSpec("secp256r1");
            case EC_P384 -> new ECGenParameterSpec("secp384r1");
            case RSA_2048 -> new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4);
            case RSA_3072 -> new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4);
            case RSA_4096 -> new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4);
        };
    }

    /** Looks a key type up by its command-line name; the message lists the valid names. */
    public static KeyType fromCliName(String name) {
        for (KeyType type : values()) {
            if (type.cliName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown key type \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(KeyType::cliName).collect(Collectors.joining(", ")));
    }
}
