package dev.signet.ca.crypto;

import java.security.PrivateKey;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Bouncy Castle content signers backed by the fastest provider that has the algorithm. */
public final class ContentSigners {

    private ContentSigners() {}

    /** A new signer; a ContentSigner is single-use state, so each certificate gets its own. */
    public static ContentSigner create(CryptoProviders providers, String algorithm, PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(algorithm)
                    .setProvider(providers.forSignature(algorithm))
                    .build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + algorithm + ": " + e.getMessage(), e);
        }
    }
}
