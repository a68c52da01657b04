package dev.signet.ca.bundle;

import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.jwt.JwtKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, versioned set of root certificates, each known by its SHA-256 fingerprint. The version grows by
 * one each time the set of roots changes; proxies report the version they hold, and rotation gates on it. Beside each
 * root it may carry the key that root's authority signs JWT-SVIDs with, which comes and goes with the root.
 */
public final class TrustBundle {

    private final long version;
    private final Map<String, X509Certificate> roots;
    private final Map<String, JwtKey> jwtKeys;
    private volatile String pem;

    private TrustBundle(long version, Map<String, X509Certificate> roots, Map<String, JwtKey> jwtKeys) {
        if (version < 1) {
            throw new IllegalArgumentException("a bundle version starts at 1");
        }
        this.version = version;
        this.roots = roots;
        this.jwtKeys = jwtKeys;
    }

    /** The first bundle, version 1, without JWT-SVID keys. */
    public static TrustBundle of(List<X509Certificate> roots) {
        return of(1, roots);
    }

    /** A bundle without JWT-SVID keys. */
    public static TrustBundle of(long version, List<X509Certificate> roots) {
        return of(version, roots, List.of());
    }

    public static TrustBundle of(long version, List<X509Certificate> roots, List<JwtKey> jwtKeys) {
        Map<String, JwtKey> keys = new LinkedHashMap<>();
        jwtKeys.forEach(key -> keys.putIfAbsent(key.keyId(), key));
        return new TrustBundle(version, index(roots), java.util.Collections.unmodifiableMap(keys));
    }

    /** The bundle of {@code authorities}: each one's root and JWT-SVID key, in that order. */
    public static TrustBundle of(long version, java.util.Collection<SigningAuthority> authorities) {
        return of(
                version,
                authorities.stream().map(SigningAuthority::root).toList(),
                authorities.stream().map(a -> a.jwtKey().publicKey()).toList());
    }

    /** This bundle with another set of roots (and no JWT keys): the version moves on only if the set changed. */
    public TrustBundle withRoots(List<X509Certificate> newRoots) {
        Map<String, X509Certificate> indexed = index(newRoots);
        return indexed.keySet().equals(roots.keySet()) && jwtKeys.isEmpty()
                ? this
                : new TrustBundle(version + 1, indexed, Map.of());
    }

    /** The keys JWT-SVIDs of this trust domain may be signed with, each published from PREPARE to RETIRE. */
    public List<JwtKey> jwtKeys() {
        return List.copyOf(jwtKeys.values());
    }

    public long version() {
        return version;
    }

    public List<X509Certificate> roots() {
        return List.copyOf(roots.values());
    }

    public List<String> fingerprints() {
        return List.copyOf(roots.keySet());
    }

    public boolean contains(String fingerprint) {
        return roots.containsKey(fingerprint);
    }

    /** The roots in PEM; computed once, since a bundle never changes and every CA response carries it. */
    public String toPem() {
        String encoded = pem;
        if (encoded == null) {
            encoded = Pem.encode(roots());
            pem = encoded;
        }
        return encoded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustBundle other
                && version == other.version
                && roots.keySet().equals(other.roots.keySet())
                && jwtKeys.keySet().equals(other.jwtKeys.keySet());
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, roots.keySet(), jwtKeys.keySet());
    }

    @Override
    public String toString() {
        List<String> shortIds = new ArrayList<>();
        roots.keySet().forEach(fingerprint -> shortIds.add(fingerprint.substring(0, 12)));
        return "TrustBundle[v" + version + ", " + shortIds + "]";
    }

    private static Map<String, X509Certificate> index(List<X509Certificate> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a trust bundle needs at least one root");
        }
        Map<String, X509Certificate> indexed = new LinkedHashMap<>();
        roots.forEach(root -> indexed.putIfAbsent(Fingerprints.sha256(root), root));
        return java.util.Collections.unmodifiableMap(indexed);
    }
}
