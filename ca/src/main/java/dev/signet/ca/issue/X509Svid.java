package dev.signet.ca.issue;

import dev.signet.ca.crypto.Pem;
import dev.signet.ca.spiffe.SpiffeId;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An issued X509-SVID: the leaf, the chain that follows it (signer and intermediates, never a root), and the
 * roots to trust, kept apart as SPIFFE asks. The leaf is held as DER; it is parsed only when asked for.
 */
public final class X509Svid {

    private final SpiffeId id;
    private final BigInteger serial;
    private final Instant notBefore;
    private final Instant notAfter;
    private final byte[] leafDer;
    private final List<X509Certificate> intermediates;
    private final String intermediatesPem;
    private final List<X509Certificate> roots;
    private final String authorityId;

    X509Svid(
            SpiffeId id,
            BigInteger serial,
            Instant notBefore,
            Instant notAfter,
            byte[] leafDer,
            List<X509Certificate> intermediates,
            String intermediatesPem,
            List<X509Certificate> roots,
            String authorityId) {
        this.id = id;
        this.serial = serial;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.leafDer = leafDer;
        this.intermediates = intermediates;
        this.intermediatesPem = intermediatesPem;
        this.roots = roots;
        this.authorityId = authorityId;
    }

    public SpiffeId id() {
        return id;
    }

    public BigInteger serial() {
        return serial;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** The root fingerprint of the authority that signed the leaf. */
    public String authorityId() {
        return authorityId;
    }

    public byte[] leafDer() {
        return leafDer.clone();
    }

    public X509Certificate leaf() {
        return Pem.certificate(leafDer);
    }

    public List<X509Certificate> intermediates() {
        return intermediates;
    }

    /** Leaf first, then the intermediates: what a TLS peer presents. */
    public List<X509Certificate> chain() {
        List<X509Certificate> chain = new ArrayList<>(intermediates.size() + 1);
        chain.add(leaf());
        chain.addAll(intermediates);
        return chain;
    }

    public String chainPem() {
        return Pem.encodeCertificate(leafDer) + intermediatesPem;
    }

    public List<X509Certificate> roots() {
        return roots;
    }

    public String rootsPem() {
        return Pem.encode(roots);
    }

    @Override
    public String toString() {
        return "X509Svid[" + id + ", serial " + serial.toString(16) + ", until " + notAfter + "]";
    }
}
