package dev.signet.ca.bundle;

import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, versioned set of root certificates, each known by its SHA-256 fingerprint. The version grows by
 * one each time the set of roots changes; proxies report the version they hold, and rotation gates on it.
 */
public final class TrustBundle {

    private final long version;
    private final Map<String, X509Certificate> roots;
    private volatile String pem;

    private TrustBundle(long version, Map<String, X509Certificate> roots) {
        if (version < 1) {
            throw new IllegalArgumentException("a bundle version starts at 1");
        }
        this.version = version;
        this.roots = roots;
    }

    /** The first bundle, version 1. */
    public static TrustBundle of(List<X509Certificate> roots) {
        return new TrustBundle(1, index(roots));
    }

    public static TrustBundle of(long version, List<X509Certificate> roots) {
        return new TrustBundle(version, index(roots));
    }

    /** This bundle with another set of roots: the version moves on only if the set changed. */
    public TrustBundle withRoots(List<X509Certificate> newRoots) {
        Map<String, X509Certificate> indexed = index(newRoots);
        return indexed.keySet().equals(roots.keySet()) ? this : new TrustBundle(version + 1, indexed);
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
                && roots.keySet().equals(other.roots.keySet());
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, roots.keySet());
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
