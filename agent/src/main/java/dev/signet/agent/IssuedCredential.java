package dev.signet.agent;

import dev.signet.ca.jwt.JwtKey;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What one request produced: the key (made here), the chain (leaf first), the roots and their version, and the keys
 * JWT-SVIDs of that bundle version are signed with.
 */
public record IssuedCredential(
        PrivateKey key,
        List<X509Certificate> chain,
        List<X509Certificate> roots,
        long trustBundleVersion,
        String spiffeId,
        List<JwtKey> jwtKeys) {

    public IssuedCredential {
        jwtKeys = List.copyOf(jwtKeys);
    }

    /** Without JWT-SVID keys (read back from files, which hold none). */
    public IssuedCredential(
            PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots, long version, String spiffeId) {
        this(key, chain, roots, version, spiffeId, List.of());
    }

    public Instant notBefore() {
        return chain.get(0).getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    /** This credential with a newer bundle than the one its response carried (a watch delivered it first). */
    public IssuedCredential withBundle(List<X509Certificate> newerRoots, List<JwtKey> newerJwtKeys, long newerVersion) {
        return new IssuedCredential(key, chain, newerRoots, newerVersion, spiffeId, newerJwtKeys);
    }

    public boolean isValidAt(Instant t) {
        return !t.isBefore(notBefore()) && t.isBefore(notAfter());
    }
}
