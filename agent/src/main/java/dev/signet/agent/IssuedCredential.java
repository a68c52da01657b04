package dev.signet.agent;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** What one request produced: the key (made here), the chain (leaf first), the roots and their version. */
public record IssuedCredential(
        PrivateKey key,
        List<X509Certificate> chain,
        List<X509Certificate> roots,
        long trustBundleVersion,
        String spiffeId) {

    public Instant notBefore() {
        return chain.get(0).getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    /** This credential with a newer bundle than the one its response carried (a watch delivered it first). */
    public IssuedCredential withBundle(List<X509Certificate> newerRoots, long newerVersion) {
        return new IssuedCredential(key, chain, newerRoots, newerVersion, spiffeId);
    }

    public boolean isValidAt(Instant t) {
        return !t.isBefore(notBefore()) && t.isBefore(notAfter());
    }
}
