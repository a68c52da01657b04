package dev.signet.agent;

import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.api.ca.v1.CreateCertificateResponse;
import dev.signet.api.ca.v1.CreateJwtSvidRequest;
import dev.signet.api.ca.v1.CreateJwtSvidResponse;
import dev.signet.ca.crypto.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code CreateCertificate} (or {@code CreateJwtSvid}) call over TLS. The server must chain to a trusted root and match the host name; the
 * caller proves itself with a token, or with its current certificate when it has no token. The current certificate
 * is presented in the handshake even beside a token: it proves that the leaf the call replaces is the caller's own,
 * which is the only way the control plane counts it out of use.
 */
public final class CertificateClient {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final String address;

    public CertificateClient(String address) {
        this.address = address;
    }

    /**
     * Asks for a certificate over {@code keys}. {@code trusted} are the roots the server must chain to;
     * {@code token} authenticates if present, else {@code current} does (renewal).
     */
    public IssuedCredential request(
            KeyPair keys,
            byte[] csr,
            Duration ttl,
            long heldBundleVersion,
            List<X509Certificate> trusted,
            Optional<String> token,
            Optional<IssuedCredential> current)
            throws AgentException {
        try {
            return attempt(keys, csr, ttl, heldBundleVersion, trusted, token, current, current);
        } catch (AgentException e) {
            if (token.isEmpty() || current.isEmpty() || !e.reason().equals("unavailable")) {
                throw e;
            }
            // The handshake may refuse a certificate under a root the control plane no longer trusts (a forced
            // rotation): the token alone still gets a new one, though the old leaf is then not counted out of use.
            return attempt(keys, csr, ttl, heldBundleVersion, trusted, token, current, Optional.empty());
        }
    }

    private IssuedCredential attempt(
            KeyPair keys,
            byte[] csr,
            Duration ttl,
            long heldBundleVersion,
            List<X509Certificate> trusted,
            Optional<String> token,
            Optional<IssuedCredential> current,
            Optional<IssuedCredential> presented)
            throws AgentException {
        ManagedChannel channel = CaChannels.open(address, trusted, presented);
        try {
            CertificateServiceGrpc.CertificateServiceBlockingStub stub = CertificateServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (token.isPresent()) {
                Metadata headers = CallMetadata.bearer(token.get());
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            CreateCertificateResponse response = stub.createCertificate(CreateCertificateRequest.newBuilder()
                    .setCsr(new String(
                            dev.signet.ca.crypto.Pem.encode("CERTIFICATE REQUEST", csr)
                                    .getBytes(StandardCharsets.US_ASCII),
                            StandardCharsets.US_ASCII))
                    .setValiditySeconds(ttl == null ? 0 : ttl.toSeconds())
                    .setTrustBundleVersion(heldBundleVersion)
                    .setReplacesSerial(
                            current.map(c -> c.chain().get(0).getSerialNumber().toString(16))
                                    .orElse(""))
                    .build());
            List<X509Certificate> chain = new ArrayList<>();
            response.getCertChainList().forEach(pem -> chain.addAll(Pem.certificates(pem)));
            return new IssuedCredential(
                    keys.getPrivate(),
                    chain,
                    Pem.certificates(response.getTrustBundle()),
                    response.getTrustBundleVersion(),
                    response.getSpiffeId(),
                    JwtKeys.from(response.getJwtAuthoritiesList()));
        } catch (StatusRuntimeException e) {
            throw refused(e);
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Asks for a JWT-SVID naming {@code audience}, authenticated by {@code held} alone (the CA decides the identity
     * from it); {@code trusted} are the roots the server must chain to.
     */
    public JwtToken requestJwt(List<String> audience, List<X509Certificate> trusted, IssuedCredential held)
            throws AgentException {
        ManagedChannel channel = CaChannels.open(address, trusted, Optional.of(held));
        try {
            CreateJwtSvidResponse response = CertificateServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .createJwtSvid(CreateJwtSvidRequest.newBuilder()
                            .addAllAudience(audience)
                            .build());
            return new JwtToken(
                    response.getToken(), response.getSpiffeId(), Instant.ofEpochSecond(response.getExpiresAt()));
        } catch (StatusRuntimeException e) {
            throw refused(e);
        } finally {
            channel.shutdownNow();
        }
    }

    private AgentException refused(StatusRuntimeException e) {
        Metadata trailers = Status.trailersFromThrowable(e);
        String reason = trailers == null ? null : trailers.get(CallMetadata.REFUSAL_REASON);
        return new AgentException(
                reason != null ? reason : e.getStatus().getCode().name().toLowerCase(),
                "the CA at " + address + " refused: " + e.getStatus().getCode() + ": "
                        + e.getStatus().getDescription(),
                e);
    }
}
