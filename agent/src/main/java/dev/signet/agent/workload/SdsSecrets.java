package dev.signet.agent.workload;

import com.google.protobuf.ByteString;
import dev.signet.agent.IssuedCredential;
import dev.signet.ca.crypto.Pem;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The secrets Envoy asks for over SDS, by the names Istio gives them and Signet's policy compiler (its {@code envoy}
 * flavor) puts in every listener and cluster: the workload's certificate and key, and the trust bundle to validate
 * peers with. PEM, inline: nothing for Envoy to read from a disk it may not share.
 */
final class SdsSecrets {

    /** The workload's certificate chain and key ({@code tls_certificate}). */
    static final String CERTIFICATE = "default";
    /** The trust bundle ({@code validation_context}). */
    static final String TRUST_BUNDLE = "ROOTCA";

    static final String TYPE_URL = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    private SdsSecrets() {}

    /** The secret named {@code name} of {@code credential}; empty for a name this agent does not serve. */
    static Optional<Secret> of(String name, IssuedCredential credential) {
        return switch (name) {
            case CERTIFICATE ->
                Optional.of(Secret.newBuilder()
                        .setName(CERTIFICATE)
                        .setTlsCertificate(TlsCertificate.newBuilder()
                                .setCertificateChain(inline(Pem.encode(credential.chain())))
                                .setPrivateKey(inline(Pem.encode(credential.key()))))
                        .build());
            case TRUST_BUNDLE ->
                Optional.of(Secret.newBuilder()
                        .setName(TRUST_BUNDLE)
                        .setValidationContext(CertificateValidationContext.newBuilder()
                                .setTrustedCa(inline(Pem.encode(credential.roots()))))
                        .build());
            default -> Optional.empty();
        };
    }

    private static DataSource inline(String pem) {
        return DataSource.newBuilder()
                .setInlineBytes(ByteString.copyFrom(pem, StandardCharsets.US_ASCII))
                .build();
    }
}
