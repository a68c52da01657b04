package dev.signet.ca.crypto;

import java.security.PublicKey;

/**
 * A public key as its X.509 SubjectPublicKeyInfo bytes and nothing else, for a provider that parses such bytes in its
 * own native code when a signature engine is initialised with them (Conscrypt does).
 */
final class EncodedPublicKey implements PublicKey {

    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final byte[] subjectPublicKeyInfo;

    EncodedPublicKey(String algorithm, byte[] subjectPublicKeyInfo) {
        this.algorithm = algorithm;
        this.subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "X.509";
    }

    @Override
    public byte[] getEncoded() {
        return subjectPublicKeyInfo.clone();
    }
}
