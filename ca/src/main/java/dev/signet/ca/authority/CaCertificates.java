package dev.signet.ca.authority;

import dev.signet.ca.spiffe.SpiffeId;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Reading what Signet writes into CA certificates. */
final class CaCertificates {

    private static final int URI_NAME = 6;

    private CaCertificates() {}

    /** A CA certificate's trust domain from a URI SAN {@code spiffe://<td>}, as SPIFFE allows signing certificates. */
    static Optional<String> trustDomain(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            for (List<?> name : names) {
                if (name.size() == 2
                        && Integer.valueOf(URI_NAME).equals(name.get(0))
                        && name.get(1) instanceof String uri
                        && uri.startsWith(SpiffeId.SCHEME_PREFIX)) {
                    String rest = uri.substring(SpiffeId.SCHEME_PREFIX.length());
                    int slash = rest.indexOf('/');
                    return Optional.of(slash < 0 ? rest : rest.substring(0, slash));
                }
            }
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
