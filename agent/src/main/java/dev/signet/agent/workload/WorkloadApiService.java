package dev.signet.agent.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.signet.agent.Agent;
import dev.signet.agent.AgentException;
import dev.signet.agent.IssuedCredential;
import dev.signet.agent.JwtToken;
import dev.signet.api.spiffe.workload.JWTBundlesRequest;
import dev.signet.api.spiffe.workload.JWTBundlesResponse;
import dev.signet.api.spiffe.workload.JWTSVID;
import dev.signet.api.spiffe.workload.JWTSVIDRequest;
import dev.signet.api.spiffe.workload.JWTSVIDResponse;
import dev.signet.api.spiffe.workload.SpiffeWorkloadAPIGrpc;
import dev.signet.api.spiffe.workload.ValidateJWTSVIDRequest;
import dev.signet.api.spiffe.workload.ValidateJWTSVIDResponse;
import dev.signet.api.spiffe.workload.X509BundlesRequest;
import dev.signet.api.spiffe.workload.X509BundlesResponse;
import dev.signet.api.spiffe.workload.X509SVIDRequest;
import dev.signet.api.spiffe.workload.X509SVIDResponse;
import dev.signet.ca.CaException;
import dev.signet.ca.bundle.SpiffeBundleJson;
import dev.signet.ca.jwt.Audiences;
import dev.signet.ca.jwt.JwtSvidValidator;
import dev.signet.ca.spiffe.SpiffeId;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;

/**
 * The Workload API over one agent's credential. The streams answer at once when the agent holds a certificate, else
 * with the first one it gets; each renewal and each bundle change is one new whole message on every X.509 stream, and
 * each bundle change on every JWT bundle stream. JWT-SVIDs come from the CA (through the agent's cache) for the
 * agent's own identity only, and are validated here against the JWT keys of the bundle the agent holds.
 */
final class WorkloadApiService extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {

    private final Subscribers<IssuedCredential, X509SVIDResponse> svids = new Subscribers<>(X509Messages::svids);
    private final Subscribers<IssuedCredential, X509BundlesResponse> bundles = new Subscribers<>(X509Messages::bundles);
    private final Subscribers<IssuedCredential, JWTBundlesResponse> jwtBundles;
    private final Agent agent;
    private final JwtSvidValidator validator;
    private volatile IssuedCredential latest;
    /** The bundle version last sent to the JWT bundle streams: a renewal alone changes no JWT key. */
    private long jwtBundleVersion = -1;

    WorkloadApiService(Agent agent, Clock clock) {
        ObjectMapper mapper = new ObjectMapper();
        SpiffeBundleJson json = new SpiffeBundleJson(mapper);
        this.agent = agent;
        this.validator = new JwtSvidValidator(mapper, clock);
        this.jwtBundles = new Subscribers<>(credential -> JWTBundlesResponse.newBuilder()
                .putBundles(
                        X509Messages.trustDomainId(credential.spiffeId()),
                        ByteString.copyFrom(json.writeJwtKeys(credential.jwtKeys())))
                .build());
    }

    /**
     * The agent's credential changed: renewed, or a new bundle written. Called under the agent's lock, in order; when
     * it returns every stream has been sent the change, so what the agent then confirms to the control plane its
     * Workload API clients were sent too.
     */
    void changed(IssuedCredential credential) {
        latest = credential;
        svids.publish(credential);
        bundles.publish(credential);
        if (credential.trustBundleVersion() != jwtBundleVersion) {
            jwtBundleVersion = credential.trustBundleVersion();
            jwtBundles.publish(credential);
        }
    }

    int streams() {
        return svids.size() + bundles.size() + jwtBundles.size();
    }

    /** Open streams not yet sent bundle {@code version} or a later one. */
    int streamsBehind(long version) {
        Predicate<IssuedCredential> sent = credential -> credential.trustBundleVersion() >= version;
        return svids.notSent(sent) + bundles.notSent(sent) + jwtBundles.notSent(sent);
    }

    void closeAll() {
        svids.closeAll();
        bundles.closeAll();
        jwtBundles.closeAll();
    }

    @Override
    public void fetchX509SVID(X509SVIDRequest request, StreamObserver<X509SVIDResponse> response) {
        svids.join(response);
    }

    @Override
    public void fetchX509Bundles(X509BundlesRequest request, StreamObserver<X509BundlesResponse> response) {
        bundles.join(response);
    }

    @Override
    public void fetchJWTSVID(JWTSVIDRequest request, StreamObserver<JWTSVIDResponse> response) {
        try {
            IssuedCredential held = held();
            if (!request.getSpiffeId().isEmpty() && !request.getSpiffeId().equals(held.spiffeId())) {
                throw Status.PERMISSION_DENIED
                        .withDescription("this workload is " + held.spiffeId() + ", not " + request.getSpiffeId())
                        .asRuntimeException();
            }
            List<String> audience;
            try {
                audience = Audiences.check(request.getAudienceList());
            } catch (CaException e) {
                throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
            }
            JwtToken token = agent.jwtSvid(audience);
            response.onNext(JWTSVIDResponse.newBuilder()
                    .addSvids(JWTSVID.newBuilder().setSpiffeId(token.spiffeId()).setSvid(token.token()))
                    .build());
            response.onCompleted();
        } catch (AgentException e) {
            Status status = e.reason().equals(CaException.Reason.INVALID_AUDIENCE.label())
                    ? Status.INVALID_ARGUMENT
                    : Status.UNAVAILABLE;
            response.onError(status.withDescription(e.getMessage()).asRuntimeException());
        } catch (StatusRuntimeException e) {
            response.onError(e);
        }
    }

    @Override
    public void fetchJWTBundles(JWTBundlesRequest request, StreamObserver<JWTBundlesResponse> response) {
        jwtBundles.join(response);
    }

    @Override
    public void validateJWTSVID(ValidateJWTSVIDRequest request, StreamObserver<ValidateJWTSVIDResponse> response) {
        try {
            if (request.getAudience().isEmpty()) {
                throw Status.INVALID_ARGUMENT
                        .withDescription("audience must be specified")
                        .asRuntimeException();
            }
            if (request.getSvid().isEmpty()) {
                throw Status.INVALID_ARGUMENT
                        .withDescription("svid must be specified")
                        .asRuntimeException();
            }
            IssuedCredential held = held();
            JwtSvidValidator.Validated valid;
            try {
                valid = validator.validate(
                        request.getSvid(),
                        request.getAudience(),
                        held.jwtKeys(),
                        SpiffeId.parse(held.spiffeId()).trustDomain());
            } catch (CaException e) {
                throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
            }
            response.onNext(ValidateJWTSVIDResponse.newBuilder()
                    .setSpiffeId(valid.id().uri())
                    .setClaims(JsonStructs.struct(valid.claims()))
                    .build());
            response.onCompleted();
        } catch (StatusRuntimeException e) {
            response.onError(e);
        }
    }

    /** The credential the agent holds; UNAVAILABLE until it has one, as the specification asks. */
    private IssuedCredential held() {
        IssuedCredential held = latest;
        if (held == null) {
            throw Status.UNAVAILABLE
                    .withDescription("the agent has no identity yet; retry")
                    .asRuntimeException();
        }
        return held;
    }
}
