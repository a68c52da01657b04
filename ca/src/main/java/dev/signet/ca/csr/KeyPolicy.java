package dev.signet.ca.csr;

import dev.signet.ca.CaException;
import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Which workload keys the CA will certify: ECDSA on the named curves P-256 and P-384, RSA of at least
 * {@code minRsaBits} (and at most {@code maxRsaBits}, because verifying a huge key costs the CA), and Ed25519
 * when allowed.
 */
public record KeyPolicy(int minRsaBits, int maxRsaBits, boolean allowEd25519) {

    public static final KeyPolicy DEFAULT = new KeyPolicy(2048, 8192, true);

    public KeyPolicy {
        if (minRsaBits < 2048) {
            throw new IllegalArgumentException("minRsaBits must be at least 2048, was " + minRsaBits);
        }
        if (maxRsaBits < minRsaBits) {
            throw new IllegalArgumentException("maxRsaBits must not be below minRsaBits");
        }
    }

    /** Classifies the key and refuses it when the policy does not allow it. */
    public ValidatedCsr check(SubjectPublicKeyInfo key) {
        AlgorithmIdentifier algorithm = key.getAlgorithm();
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return checkEc(key, algorithm);
        }
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return checkRsa(key);
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            if (!allowEd25519) {
                throw new CaException(
                        CaException.Reason.UNSUPPORTED_KEY, "Ed25519 keys are not allowed by this CA's policy");
            }
            return new ValidatedCsr(key, LeafKeyKind.ED25519, 256);
        }
        throw new CaException(
                CaException.Reason.UNSUPPORTED_KEY,
                "the key algorithm " + oid.getId()
                        + " is not supported; use ECDSA P-256 or P-384, RSA of " + minRsaBits + " bits or more"
                        + (allowEd25519 ? ", or Ed25519" : ""));
    }

    private ValidatedCsr checkEc(SubjectPublicKeyInfo key, AlgorithmIdentifier algorithm) {
        if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve)) {
            throw new CaException(
                    CaException.Reason.UNSUPPORTED_KEY,
                    "the EC key does not name its curve (explicit parameters are refused); use P-256 or P-384");
        }
        if (curve.equals(SECObjectIdentifiers.secp256r1)) {
            return new ValidatedCsr(key, LeafKeyKind.EC_P256, 256);
        }
        if (curve.equals(SECObjectIdentifiers.secp384r1)) {
            return new ValidatedCsr(key, LeafKeyKind.EC_P384, 384);
        }
        throw new CaException(
                CaException.Reason.UNSUPPORTED_KEY,
                "the EC curve " + curve.getId() + " is not supported; use P-256 (secp256r1) or P-384 (secp384r1)");
    }

    private ValidatedCsr checkRsa(SubjectPublicKeyInfo key) {
        RSAPublicKey rsa;
        try {
            rsa = RSAPublicKey.getInstance(key.parsePublicKey());
        } catch (IOException | RuntimeException e) {
            throw new CaException(CaException.Reason.MALFORMED_CSR, "the RSA public key is malformed", e);
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < minRsaBits) {
            throw new CaException(
                    CaException.Reason.WEAK_KEY,
                    "the RSA key has " + bits + " bits; at least " + minRsaBits + " are required");
        }
        if (bits > maxRsaBits) {
            throw new CaException(
                    CaException.Reason.UNSUPPORTED_KEY,
                    "the RSA key has " + bits + " bits; at most " + maxRsaBits + " are accepted");
        }
        BigInteger exponent = rsa.getPublicExponent();
        if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(65537)) < 0 || exponent.bitLength() > 32) {
            throw new CaException(
                    CaException.Reason.WEAK_KEY, "the RSA public exponent " + exponent + " is refused; use 65537");
        }
        return new ValidatedCsr(key, LeafKeyKind.RSA, bits);
    }
}
