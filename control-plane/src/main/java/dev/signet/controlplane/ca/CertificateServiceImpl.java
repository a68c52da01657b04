package dev.signet.controlplane.ca;

import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.api.ca.v1.CreateCertificateResponse;
import dev.signet.ca.CaException;
import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.identity.AuthenticationException;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code CreateCertificate}: authenticate, then sign for the authenticated identity. A bearer token wins over a
 * client certificate; a client certificate (renewal) must be a Signet X509-SVID of this trust domain, which the
 * TLS layer has already verified against the trust bundle.
 */
public final class CertificateServiceImpl extends CertificateServiceGrpc.CertificateServiceImplBase {

    /** The refusal's reason, machine-readable, in the trailers of every refused call. */
    public static final Metadata.Key<String> REFUSAL_REASON =
            Metadata.Key.of("signet-refusal-reason", Metadata.ASCII_STRING_MARSHALLER);

    private final CertificateAuthority ca;
    private final Supplier<TrustBundle> bundle;
    private final TokenAuthenticator tokens;
    private final CaMetrics metrics;

    public CertificateServiceImpl(CertificateAuthority ca, Supplier<TrustBundle> bundle, TokenAuthenticator tokens,
                                  CaMetrics metrics) {
        this.ca = ca;
        this.bundle = bundle;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    @Override
    public void createCertificate(CreateCertificateRequest request, StreamObserver<CreateCertificateResponse> response) {
        try {
            WorkloadIdentity identity = authenticate();
            SpiffeId id = identity.spiffeId(ca.trustDomain());
            Duration ttl = request.getValiditySeconds() == 0 ? null : Duration.ofSeconds(request.getValiditySeconds());
            X509Svid svid = ca.sign(request.getCsr().getBytes(StandardCharsets.US_ASCII), id, ttl);
            replaced(request).ifPresent(serial -> ca.inventory().supersede(id, serial));
            TrustBundle current = bundle.get();
            CreateCertificateResponse.Builder answer = CreateCertificateResponse.newBuilder()
                    .addCertChain(Pem.encodeCertificate(svid.leafDer()))
                    .setTrustBundle(current.toPem())
                    .setTrustBundleVersion(current.version())
                    .setSpiffeId(id.uri());
            svid.intermediates().forEach(certificate -> answer.addCertChain(Pem.encode(certificate)));
            metrics.issued();
            response.onNext(answer.build());
            response.onCompleted();
        } catch (AuthenticationException e) {
            response.onError(refuse(Status.UNAUTHENTICATED, e.reason().label(), e.getMessage()));
        } catch (CaException e) {
            response.onError(refuse(statusFor(e), e.reason().label(), e.getMessage()));
        }
    }

    /**
     * The leaf this request replaces: the one named in the request, else the client certificate of a renewal. The
     * inventory only lets the same identity give a leaf up, so a caller can name no one else's.
     */
    private static java.util.Optional<java.math.BigInteger> replaced(CreateCertificateRequest request) {
        if (!request.getReplacesSerial().isEmpty()) {
            try {
                return java.util.Optional.of(new java.math.BigInteger(request.getReplacesSerial(), 16));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }
        List<X509Certificate> chain = CallCredentials.PEER_CHAIN.get();
        return chain == null || chain.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(chain.get(0).getSerialNumber());
    }

    private WorkloadIdentity authenticate() throws AuthenticationException {
        String token = CallCredentials.TOKEN.get();
        if (token != null) {
            return tokens.authenticate(token);
        }
        List<X509Certificate> chain = CallCredentials.PEER_CHAIN.get();
        if (chain != null && !chain.isEmpty()) {
            return fromCertificate(chain.get(0));
        }
        throw new AuthenticationException(AuthenticationException.Reason.MISSING,
                "send a service-account token (authorization: Bearer ...) or, to renew, your current certificate");
    }

    private WorkloadIdentity fromCertificate(X509Certificate certificate) throws AuthenticationException {
        SpiffeId id;
        try {
            id = SpiffeId.fromCertificate(certificate);
        } catch (CaException e) {
            throw new AuthenticationException(AuthenticationException.Reason.MALFORMED,
                    "the client certificate is not an X509-SVID: " + e.getMessage());
        }
        if (!id.isMemberOf(ca.trustDomain())) {
            throw new AuthenticationException(AuthenticationException.Reason.FOREIGN_TRUST_DOMAIN,
                    "the client certificate is for trust domain " + id.trustDomain());
        }
        String[] segments = id.path().split("/", -1);
        if (segments.length != 5 || !segments[1].equals("ns") || !segments[3].equals("sa")) {
            throw new AuthenticationException(AuthenticationException.Reason.NOT_A_SERVICE_ACCOUNT,
                    "the client certificate's identity " + id + " is not a service account's");
        }
        return new WorkloadIdentity(segments[2], segments[4]);
    }

    private static Status statusFor(CaException e) {
        return switch (e.reason()) {
            case TRUST_DOMAIN_MISMATCH -> Status.PERMISSION_DENIED;
            case NO_ACTIVE_AUTHORITY, SIGNER_NOT_VALID -> Status.UNAVAILABLE;
            default -> Status.INVALID_ARGUMENT;
        };
    }

    private StatusRuntimeException refuse(Status status, String reason, String message) {
        metrics.refused(reason);
        Metadata trailers = new Metadata();
        trailers.put(REFUSAL_REASON, reason);
        return status.withDescription(reason + ": " + message).asRuntimeException(trailers);
    }
}
