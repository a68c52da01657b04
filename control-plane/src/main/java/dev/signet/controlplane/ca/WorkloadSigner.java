package dev.signet.controlplane.ca;

import dev.signet.api.CallMetadata;
import dev.signet.ca.CaException;
import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.jwt.JwtSvid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.identity.AuthenticationException;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every certificate API does once it knows who calls: the caller's issuance share, the identity no caller may
 * have, the lifetime asked for, then the CA. Each refusal comes back as the status the caller is sent, with its
 * reason in the {@code signet-refusal-reason} trailer, and is counted, whichever API it came through.
 */
public final class WorkloadSigner {

    /** The refusal reason of a caller over its issuance share. */
    public static final String RATE_LIMITED = "rate_limited";
    /** The refusal reason of a request for the control plane's own identity. */
    public static final String RESERVED = "reserved_identity";
    /** The refusal reason of a request that failed unexpectedly. */
    public static final String INTERNAL = "internal";

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(WorkloadSigner.class.getName());

    /** A signed leaf, the identity it certifies and the bundle current when it was signed. */
    public record Signed(SpiffeId id, X509Svid svid, TrustBundle bundle) {

        /** The leaf, then each intermediate, one PEM certificate each: the chain both APIs answer with. */
        public List<String> chainPem() {
            List<String> chain = new ArrayList<>();
            chain.add(Pem.encodeCertificate(svid.leafDer()));
            svid.intermediates().forEach(certificate -> chain.add(Pem.encode(certificate)));
            return chain;
        }
    }

    private final CertificateAuthority ca;
    private final Supplier<TrustBundle> bundle;
    private final CaMetrics metrics;
    private final IssuanceLimiter limiter;
    private final SpiffeId reserved;

    /**
     * {@code reserved}: the control plane's own identity, which no caller is issued (a certificate for it would pass
     * as the control plane to every agent and proxy).
     */
    public WorkloadSigner(
            CertificateAuthority ca,
            Supplier<TrustBundle> bundle,
            CaMetrics metrics,
            IssuanceLimiter limiter,
            SpiffeId reserved) {
        this.ca = ca;
        this.bundle = bundle;
        this.metrics = metrics;
        this.limiter = limiter;
        this.reserved = reserved;
    }

    public String trustDomain() {
        return ca.trustDomain();
    }

    /**
     * Signs {@code csrPem} for {@code identity}, for {@code ttl} (empty: the CA's default), recording that it
     * replaces {@code replaces}.
     */
    public Signed sign(
            WorkloadIdentity identity, String csrPem, Optional<Duration> ttl, Optional<BigInteger> replaces) {
        SpiffeId id = admit(identity);
        try {
            X509Svid svid = ca.sign(csrPem.getBytes(StandardCharsets.US_ASCII), id, ttl.orElse(null), replaces);
            TrustBundle current = bundle.get();
            metrics.issued();
            return new Signed(id, svid, current);
        } catch (CaException e) {
            throw refusal(e);
        }
    }

    /**
     * Signs a JWT-SVID for {@code identity} naming {@code audience}. It takes from the same issuance share as a
     * certificate: minting is cheap, but not free, and an agent caches what it gets.
     */
    public JwtSvid signJwt(WorkloadIdentity identity, List<String> audience) {
        SpiffeId id = admit(identity);
        try {
            JwtSvid svid = ca.signJwt(id, audience);
            metrics.issuedJwt();
            return svid;
        } catch (CaException e) {
            throw refusal(e);
        }
    }

    /** The caller's identity, once it is within its share and not the reserved one. */
    private SpiffeId admit(WorkloadIdentity identity) {
        if (!limiter.tryAcquire(identity)) {
            throw refuse(
                    Status.RESOURCE_EXHAUSTED,
                    RATE_LIMITED,
                    identity + " was issued more certificates than its share lately; retry later");
        }
        SpiffeId id = identity.spiffeId(ca.trustDomain());
        if (id.equals(reserved)) {
            throw refuse(Status.PERMISSION_DENIED, RESERVED, id + " is the control plane's own identity");
        }
        return id;
    }

    /**
     * The answer to whatever a certificate request of {@code api} failed with: the refusal it stands for, or INTERNAL
     * for what was not expected.
     */
    public StatusRuntimeException failure(String api, Exception e) {
        if (e instanceof StatusRuntimeException answer) {
            return answer;
        }
        if (e instanceof AuthenticationException credential) {
            return refusal(credential);
        }
        if (e instanceof CaException refused) {
            return refusal(refused);
        }
        return unexpected(api, e);
    }

    /** The answer to a refused credential. */
    private StatusRuntimeException refusal(AuthenticationException e) {
        return refuse(Status.UNAUTHENTICATED, e.reason().label(), e.getMessage());
    }

    /** The answer to a request the CA refused. */
    private StatusRuntimeException refusal(CaException e) {
        Status status = switch (e.reason()) {
            case TRUST_DOMAIN_MISMATCH -> Status.PERMISSION_DENIED;
            case NO_ACTIVE_AUTHORITY, SIGNER_NOT_VALID -> Status.UNAVAILABLE;
            default -> Status.INVALID_ARGUMENT;
        };
        return refuse(status, e.reason().label(), e.getMessage());
    }

    /** Whatever slipped through is still an answer, and counted: never an UNKNOWN with a stack trace. */
    private StatusRuntimeException unexpected(String api, Exception e) {
        LOG.log(java.util.logging.Level.WARNING, api + " failed unexpectedly", e);
        return refuse(Status.INTERNAL, INTERNAL, "the request could not be handled");
    }

    public StatusRuntimeException refuse(Status status, String reason, String message) {
        metrics.refused(reason);
        Metadata trailers = new Metadata();
        trailers.put(CallMetadata.REFUSAL_REASON, reason);
        return status.withDescription(reason + ": " + message).asRuntimeException(trailers);
    }
}
