package dev.signet.ca.spiffe;

import dev.signet.ca.CaException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A SPIFFE ID, {@code spiffe://<trust-domain><path>}, validated per the SPIFFE ID specification: lower-case trust
 * domain of {@code [a-z0-9.-_]}, path segments of {@code [A-Za-z0-9.-_]} with no empty, {@code .} or {@code ..}
 * segment, no port, user info, query, fragment or percent-encoding, at most 2048 bytes in all.
 */
public final class SpiffeId {

    public static final String SCHEME_PREFIX = "spiffe://";
    public static final int MAX_BYTES = 2048;
    public static final int MAX_TRUST_DOMAIN_LENGTH = 255;
    private static final int URI_SAN = 6;

    private final String trustDomain;
    private final String path;

    private SpiffeId(String trustDomain, String path) {
        this.trustDomain = trustDomain;
        this.path = path;
    }

    /** Parses and validates {@code uri}; refuses with {@link CaException.Reason#INVALID_SPIFFE_ID}. */
    public static SpiffeId parse(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw invalid(uri, "it is empty");
        }
        if (uri.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid(abbreviate(uri), "it is longer than " + MAX_BYTES + " bytes");
        }
        if (!uri.startsWith(SCHEME_PREFIX)) {
            throw invalid(uri, "the scheme must be \"spiffe://\" in lower case");
        }
        String rest = uri.substring(SCHEME_PREFIX.length());
        int slash = rest.indexOf('/');
        String trustDomain = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        checkTrustDomain(uri, trustDomain);
        checkPath(uri, path);
        return new SpiffeId(trustDomain, path);
    }

    /** Builds {@code spiffe://<trustDomain><path>} after validating both parts. */
    public static SpiffeId of(String trustDomain, String path) {
        return parse(SCHEME_PREFIX + trustDomain + path);
    }

    /** The Kubernetes service-account identity, {@code spiffe://<td>/ns/<namespace>/sa/<serviceAccount>}. */
    public static SpiffeId forServiceAccount(String trustDomain, String namespace, String serviceAccount) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        return of(trustDomain, "/ns/" + namespace + "/sa/" + serviceAccount);
    }

    /**
     * The SPIFFE ID of an X509-SVID: its one URI SAN. A certificate with no URI SAN, or with several, is not an
     * X509-SVID and is refused.
     */
    public static SpiffeId fromCertificate(X509Certificate certificate) {
        List<String> uris = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() == 2 && Integer.valueOf(URI_SAN).equals(name.get(0))) {
                        uris.add(String.valueOf(name.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CaException(CaException.Reason.INVALID_SPIFFE_ID, "the certificate's SANs cannot be read", e);
        }
        if (uris.size() != 1) {
            throw new CaException(
                    CaException.Reason.INVALID_SPIFFE_ID,
                    "an X509-SVID has exactly one URI SAN; this certificate has " + uris.size());
        }
        return parse(uris.get(0));
    }

    /** Validates a trust domain name on its own (e.g. from configuration). */
    public static String requireTrustDomain(String trustDomain) {
        checkTrustDomain(SCHEME_PREFIX + trustDomain, trustDomain);
        return trustDomain;
    }

    public String trustDomain() {
        return trustDomain;
    }

    /** The path, empty for the trust domain's own ID, else starting with {@code /}. */
    public String path() {
        return path;
    }

    public boolean isMemberOf(String otherTrustDomain) {
        return trustDomain.equals(otherTrustDomain);
    }

    /** The form Istio's policies use for principals: {@code <td><path>} without the scheme. */
    public String principal() {
        return trustDomain + path;
    }

    public String uri() {
        return SCHEME_PREFIX + trustDomain + path;
    }

    @Override
    public String toString() {
        return uri();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpiffeId other && trustDomain.equals(other.trustDomain) && path.equals(other.path);
    }

    @Override
    public int hashCode() {
        return trustDomain.hashCode() * 31 + path.hashCode();
    }

    private static void checkTrustDomain(String uri, String trustDomain) {
        if (trustDomain.isEmpty()) {
            throw invalid(uri, "the trust domain is empty");
        }
        if (trustDomain.length() > MAX_TRUST_DOMAIN_LENGTH) {
            throw invalid(
                    abbreviate(uri), "the trust domain is longer than " + MAX_TRUST_DOMAIN_LENGTH + " characters");
        }
        for (int i = 0; i < trustDomain.length(); i++) {
            char c = trustDomain.charAt(i);
            if (isTrustDomainChar(c)) {
                continue;
            }
            if (c == ':') {
                throw invalid(uri, "the trust domain must not have a port");
            }
            if (c == '@') {
                throw invalid(uri, "the trust domain must not have user info");
            }
            if (c >= 'A' && c <= 'Z') {
                throw invalid(uri, "the trust domain must be lower case");
            }
            throw invalid(
                    uri,
                    "the trust domain has the character '" + printable(c) + "' at index " + i
                            + "; only a-z, 0-9, '.', '-' and '_' are allowed");
        }
    }

    private static void checkPath(String uri, String path) {
        if (path.isEmpty()) {
            return;
        }
        int segmentStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                String segment = path.substring(segmentStart, i);
                if (segment.isEmpty()) {
                    throw invalid(
                            uri,
                            i == path.length()
                                    ? "the path must not end with '/'"
                                    : "the path has an empty segment ('//')");
                }
                if (segment.equals(".") || segment.equals("..")) {
                    throw invalid(uri, "the path has a '" + segment + "' segment");
                }
                segmentStart = i + 1;
                continue;
            }
            char c = path.charAt(i);
            if (isPathChar(c)) {
                continue;
            }
            switch (c) {
                case '?' -> throw invalid(uri, "a SPIFFE ID must not have a query");
                case '#' -> throw invalid(uri, "a SPIFFE ID must not have a fragment");
                case '%' -> throw invalid(uri, "the path must not be percent-encoded");
                default ->
                    throw invalid(
                            uri,
                            "the path has the character '" + printable(c)
                                    + "'; only A-Z, a-z, 0-9, '.', '-' and '_' are allowed in segments");
            }
        }
    }

    private static boolean isTrustDomainChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    }

    private static boolean isPathChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '-'
                || c == '_';
    }

    private static String printable(char c) {
        return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static CaException invalid(String uri, String why) {
        return new CaException(
                CaException.Reason.INVALID_SPIFFE_ID, "invalid SPIFFE ID \"" + (uri == null ? "" : uri) + "\": " + why);
    }
}
