package dev.signet.agent.workload;

import com.google.protobuf.ByteString;
import dev.signet.agent.IssuedCredential;
import dev.signet.api.spiffe.workload.X509BundlesResponse;
import dev.signet.api.spiffe.workload.X509SVID;
import dev.signet.api.spiffe.workload.X509SVIDResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/** The Workload API's X.509 messages for one credential: DER throughout, certificates concatenated. */
final class X509Messages {

    private X509Messages() {}

    static X509SVIDResponse svids(IssuedCredential credential) {
        return X509SVIDResponse.newBuilder()
                .addSvids(X509SVID.newBuilder()
                        .setSpiffeId(credential.spiffeId())
                        .setX509Svid(der(credential.chain()))
                        .setX509SvidKey(ByteString.copyFrom(credential.key().getEncoded()))
                        .setBundle(der(credential.roots())))
                .build();
    }

    static X509BundlesResponse bundles(IssuedCredential credential) {
        return X509BundlesResponse.newBuilder()
                .putBundles(trustDomainId(credential.spiffeId()), der(credential.roots()))
                .build();
    }

    /**
     * {@code spiffe://example.org/ns/a/sa/b} → {@code spiffe://example.org}: bundle maps are keyed by the trust
     * domain's SPIFFE ID, as the specification says and SPIRE does.
     */
    static String trustDomainId(String spiffeId) {
        return "spiffe://" + URI.create(spiffeId).getHost();
    }

    private static ByteString der(List<X509Certificate> certificates) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (X509Certificate certificate : certificates) {
            try {
                out.writeBytes(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a certificate the agent holds cannot be encoded", e);
            }
        }
        return ByteString.copyFrom(out.toByteArray());
    }
}
