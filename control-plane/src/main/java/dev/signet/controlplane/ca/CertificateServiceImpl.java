package dev.signet.controlplane.ca;

import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.api.ca.v1.CreateCertificateResponse;
import dev.signet.api.ca.v1.CreateJwtSvidRequest;
import dev.signet.api.ca.v1.CreateJwtSvidResponse;
import dev.signet.ca.CaException;
import dev.signet.ca.jwt.JwtSvid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.identity.AuthenticationException;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.stub.StreamObserver;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code CreateCertificate} and {@code CreateJwtSvid}: authenticate, then sign for the authenticated identity. A bearer token wins over a
 * client certificate; a client certificate (renewal) must be a Signet X509-SVID of this trust domain, which the
 * TLS layer has already verified against the trust bundle.
 */
public final class CertificateServiceImpl extends CertificateServiceGrpc.CertificateServiceImplBase {

    private final WorkloadSigner signer;
    private final Callers callers;

    public CertificateServiceImpl(WorkloadSigner signer, TokenAuthenticator tokens) {
        this.signer = signer;
        this.callers = new Callers(tokens, signer.trustDomain());
    }

    /** Whether a call with {@code headers} can be answered without waiting on anything outside this process. */
    public boolean answersAtOnce(io.grpc.Metadata headers) {
        return callers.answersAtOnce(headers);
    }

    @Override
    public void createCertificate(
            CreateCertificateRequest request, StreamObserver<CreateCertificateResponse> response) {
        try {
            WorkloadIdentity identity = callers.authenticate();
            if (request.getValiditySeconds() < 0) {
                throw new CaException(CaException.Reason.INVALID_TTL, "validity_seconds must not be negative");
            }
            Optional<Duration> ttl = request.getValiditySeconds() == 0
                    ? Optional.empty()
                    : Optional.of(Duration.ofSeconds(request.getValiditySeconds()));
            WorkloadSigner.Signed signed = signer.sign(
                    identity, request.getCsr(), ttl, replaced(request, identity.spiffeId(signer.trustDomain())));
            CreateCertificateResponse answer = CreateCertificateResponse.newBuilder()
                    .addAllCertChain(signed.chainPem())
                    .setTrustBundle(signed.bundle().toPem())
                    .setTrustBundleVersion(signed.bundle().version())
                    .setSpiffeId(signed.id().uri())
                    .addAllJwtAuthorities(JwtAuthorities.of(signed.bundle()))
                    .build();
            response.onNext(answer);
            response.onCompleted();
        } catch (AuthenticationException | RuntimeException e) {
            response.onError(signer.failure("CreateCertificate", e));
        }
    }

    @Override
    public void createJwtSvid(CreateJwtSvidRequest request, StreamObserver<CreateJwtSvidResponse> response) {
        try {
            JwtSvid svid = signer.signJwt(callers.authenticate(), request.getAudienceList());
            response.onNext(CreateJwtSvidResponse.newBuilder()
                    .setToken(svid.token())
                    .setSpiffeId(svid.id().uri())
                    .setExpiresAt(svid.expiresAt().getEpochSecond())
                    .build());
            response.onCompleted();
        } catch (AuthenticationException | RuntimeException e) {
            response.onError(signer.failure("CreateJwtSvid", e));
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
}
