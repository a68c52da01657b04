package dev.signet.ca.authority;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate and the private key of its subject. */
public record CertifiedKey(X509Certificate certificate, PrivateKey privateKey) {
    public CertifiedKey {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public String toString() {
        // Never print key material, whatever logs this.
        return "CertifiedKey[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
