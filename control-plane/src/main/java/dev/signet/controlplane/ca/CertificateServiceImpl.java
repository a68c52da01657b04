package dev.signet.controlplane.ca;

import dev.signet.api.CallMetadata;
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
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code CreateCertificate}: authenticate, then sign for the authenticated identity. A bearer token wins over a
 * client certificate; a client certificate (renewal) must be a Signet X509-SVID of this trust domain, which the
 * TLS layer has already verified against the trust bundle.
 */
public final class CertificateServiceImpl extends CertificateServiceGrpc.CertificateServiceImplBase {

    /** The refusal reason of a caller over its issuance share. */
    public static final String RATE_LIMITED = "rate_limited";
    /** The refusal reason of a request for the control plane's own identity. */
    public static final String RESERVED = "reserved_identity";
    /** The refusal reason of a request that failed unexpectedly. */
    public static final String INTERNAL = "internal";

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(CertificateServiceImpl.class.getName());

    private final CertificateAuthority ca;
    private final Supplier<TrustBundle> bundle;
    private final Callers callers;
    private final CaMetrics metrics;
    private final IssuanceLimiter limiter;
    private final SpiffeId reserved;

    /**
     * {@code reserved}: the control plane's own identity, which no caller is issued (a certificate for it would pass
     * as the control plane to every agent and proxy).
     */
    public CertificateServiceImpl(
            CertificateAuthority ca,
            Supplier<TrustBundle> bundle,
            TokenAuthenticator tokens,
            CaMetrics metrics,
            IssuanceLimiter limiter,
            SpiffeId reserved) {
        this.ca = ca;
        this.bundle = bundle;
        this.callers = new Callers(tokens, ca.trustDomain());
        this.metrics = metrics;
        this.limiter = limiter;
        this.reserved = reserved;
    }

    @Override
    public void createCertificate(
            CreateCertificateRequest request, StreamObserver<CreateCertificateResponse> response) {
        try {
            WorkloadIdentity identity = callers.authenticate();
            if (!limiter.tryAcquire(identity)) {
                response.onError(refuse(
                        Status.RESOURCE_EXHAUSTED,
                        RATE_LIMITED,
                        identity + " was issued more " + "certificates than its share lately; retry later"));
                return;
            }
            SpiffeId id = identity.spiffeId(ca.trustDomain());
            if (id.equals(reserved)) {
                response.onError(
                        refuse(Status.PERMISSION_DENIED, RESERVED, id + " is the control plane's own identity"));
                return;
            }
            if (request.getValiditySeconds() < 0) {
                throw new CaException(CaException.Reason.INVALID_TTL, "validity_seconds must not be negative");
            }
            Duration ttl = request.getValiditySeconds() == 0 ? null : Duration.ofSeconds(request.getValiditySeconds());
            X509Svid svid =
                    ca.sign(request.getCsr().getBytes(StandardCharsets.US_ASCII), id, ttl, replaced(request, id));
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
        } catch (RuntimeException e) {
            // Whatever slipped through is still an answer, and counted: never an UNKNOWN with a stack trace.
            LOG.log(java.util.logging.Level.WARNING, "CreateCertificate failed unexpectedly", e);
            response.onError(refuse(Status.INTERNAL, INTERNAL, "the request could not be handled"));
        }
    }

    /**
     * The leaf this request replaces. A caller that presents its certificate proves it holds that leaf, and gives up
     * that one only (a serial named beside it, perhaps another instance's of the same account, is ignored); one of
     * another identity gives up nothing. A caller with a token alone may name a serial, which the inventory takes only
     * from the identity the leaf was issued to.
     */
    private static Optional<BigInteger> replaced(CreateCertificateRequest request, SpiffeId caller) {
        List<X509Certificate> chain = CallCredentials.PEER_CHAIN.get();
        if (chain != null && !chain.isEmpty()) {
            X509Certificate presented = chain.get(0);
            boolean own;
            try {
                own = SpiffeId.fromCertificate(presented).equals(caller);
            } catch (CaException e) {
                own = false;
            }
            return own ? Optional.of(presented.getSerialNumber()) : Optional.empty();
        }
        if (request.getReplacesSerial().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigInteger(request.getReplacesSerial(), 16));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
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
        trailers.put(CallMetadata.REFUSAL_REASON, reason);
        return status.withDescription(reason + ": " + message).asRuntimeException(trailers);
    }
}
