package dev.signet.cli.api;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Whether a chain leads to one of some roots, by the JDK's own PKIX validation. */
final class Chains {

    private Chains() {}

    static boolean verify(List<X509Certificate> chain, List<X509Certificate> roots) {
        try {
            Set<TrustAnchor> anchors =
                    roots.stream().map(root -> new TrustAnchor(root, null)).collect(Collectors.toSet());
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
