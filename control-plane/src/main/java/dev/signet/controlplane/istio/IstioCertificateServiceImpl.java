package dev.signet.controlplane.istio;

import dev.signet.api.istio.v1.auth.IstioCertificateRequest;
import dev.signet.api.istio.v1.auth.IstioCertificateResponse;
import dev.signet.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.signet.ca.CaException;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.controlplane.ca.Callers;
import dev.signet.controlplane.ca.WorkloadSigner;
import dev.signet.controlplane.identity.AuthenticationException;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Istio's {@code CreateCertificate}, as Istio's agents call it: the identity comes from the bearer token (of the Istio
 * audience) or the client certificate, never from the CSR, with the same shares, refusals and inventory as Signet's
 * own API. The answer is Istio's chain, leaf first, with the roots last: there Signet puts the whole trust bundle, which
 * the agent writes as its root certificate file, so that in the middle of a rotation it trusts both roots, exactly as
 * Signet's own agents do.
 */
public final class IstioCertificateServiceImpl extends IstioCertificateServiceGrpc.IstioCertificateServiceImplBase {

    /** The refusal reason of a request to act for another identity (ztunnel's), which Signet does not grant. */
    public static final String IMPERSONATION_REFUSED = "impersonation_refused";
    /** The metadata key of ztunnel's request to be issued another workload's identity. */
    static final String IMPERSONATED_IDENTITY = "ImpersonatedIdentity";

    private final WorkloadSigner signer;
    private final Callers callers;
    private final IstioAgents agents;
    private final IssuancePolicy issuance;
    private final Duration rotationTtl;
    private final BooleanSupplier rotating;

    /**
     * {@code rotating}: whether a root rotation runs, during which leaves last at most {@code rotationTtl}, so that
     * agents come back for the new bundle soon.
     */
    public IstioCertificateServiceImpl(
            WorkloadSigner signer,
            TokenAuthenticator tokens,
            IstioAgents agents,
            IssuancePolicy issuance,
            Duration rotationTtl,
            BooleanSupplier rotating) {
        this.signer = signer;
        this.callers = new Callers(tokens, signer.trustDomain());
        this.agents = agents;
        this.issuance = issuance;
        this.rotationTtl = rotationTtl;
        this.rotating = rotating;
    }

    /** Whether a call with {@code headers} can be answered without waiting on anything outside this process. */
    public boolean answersAtOnce(io.grpc.Metadata headers) {
        return callers.answersAtOnce(headers);
    }

    @Override
    public void createCertificate(IstioCertificateRequest request, StreamObserver<IstioCertificateResponse> response) {
        try {
            WorkloadIdentity identity = callers.authenticate();
            if (request.hasMetadata() && request.getMetadata().containsFields(IMPERSONATED_IDENTITY)) {
                // Istio grants it to ztunnel for pods on its own node; Signet cannot check the node yet, so it never
                // issues one identity to another's caller.
                throw signer.refuse(
                        Status.PERMISSION_DENIED,
                        IMPERSONATION_REFUSED,
                        identity + " asked for another identity (" + IMPERSONATED_IDENTITY
                                + "); Signet issues each caller its own identity only, so ztunnel's node proxying is "
                                + "not supported");
            }
            String instance = Callers.instance();
            WorkloadSigner.Signed signed =
                    signer.sign(identity, request.getCsr(), lifetime(request), agents.current(instance));
            agents.issued(instance, identity, signed.svid(), signed.bundle().version());
            response.onNext(IstioCertificateResponse.newBuilder()
                    .addAllCertChain(signed.chainPem())
                    .addCertChain(signed.bundle().toPem())
                    .build());
            response.onCompleted();
        } catch (AuthenticationException | RuntimeException e) {
            response.onError(signer.failure("Istio CreateCertificate", e));
        }
    }

    /** The lifetime asked for, shortened while a rotation runs; one above the maximum goes on to be refused. */
    private Optional<Duration> lifetime(IstioCertificateRequest request) {
        if (request.getValidityDuration() < 0) {
            throw new CaException(CaException.Reason.INVALID_TTL, "validity_duration must not be negative");
        }
        Duration asked = request.getValidityDuration() == 0
                ? issuance.defaultTtl()
                : Duration.ofSeconds(request.getValidityDuration());
        if (asked.compareTo(issuance.maxTtl()) <= 0 && asked.compareTo(rotationTtl) > 0 && rotating.getAsBoolean()) {
            return Optional.of(rotationTtl);
        }
        return Optional.of(asked);
    }
}
