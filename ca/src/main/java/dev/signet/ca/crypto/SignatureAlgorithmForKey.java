package dev.signet.ca.crypto;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/** The signature algorithm a CA key signs with: SHA-2 sized to the curve for ECDSA, SHA-256 for RSA. */
public final class SignatureAlgorithmForKey {

    private SignatureAlgorithmForKey() {}

    public static String of(PublicKey key) {
        String algorithm = key.getAlgorithm();
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        if (algorithm.equals("RSA")) {
            return "SHA256withRSA";
        }
        if (algorithm.equals("Ed25519") || algorithm.equals("EdDSA")) {
            return "Ed25519";
        }
        throw new IllegalArgumentException("no signature algorithm for a " + algorithm + " key");
    }
}
