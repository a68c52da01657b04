package dev.signet.agent.workload;

import dev.signet.agent.IssuedCredential;
import dev.signet.api.spiffe.workload.JWTBundlesRequest;
import dev.signet.api.spiffe.workload.JWTBundlesResponse;
import dev.signet.api.spiffe.workload.JWTSVIDRequest;
import dev.signet.api.spiffe.workload.JWTSVIDResponse;
import dev.signet.api.spiffe.workload.SpiffeWorkloadAPIGrpc;
import dev.signet.api.spiffe.workload.ValidateJWTSVIDRequest;
import dev.signet.api.spiffe.workload.ValidateJWTSVIDResponse;
import dev.signet.api.spiffe.workload.X509BundlesRequest;
import dev.signet.api.spiffe.workload.X509BundlesResponse;
import dev.signet.api.spiffe.workload.X509SVIDRequest;
import dev.signet.api.spiffe.workload.X509SVIDResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Predicate;

/**
 * The Workload API over one agent's credential. The X.509 streams answer at once when the agent holds a certificate,
 * else with the first one it gets; each renewal and each bundle change is one new whole message on every stream. The
 * JWT methods are not served yet and say so.
 */
final class WorkloadApiService extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {

    private final Subscribers<IssuedCredential, X509SVIDResponse> svids = new Subscribers<>(X509Messages::svids);
    private final Subscribers<IssuedCredential, X509BundlesResponse> bundles = new Subscribers<>(X509Messages::bundles);

    /**
     * The agent's credential changed: renewed, or a new bundle written. Called under the agent's lock, in order; when
     * it returns every stream has been sent the change, so what the agent then confirms to the control plane its
     * Workload API clients were sent too.
     */
    void changed(IssuedCredential credential) {
        svids.publish(credential);
        bundles.publish(credential);
    }

    int streams() {
        return svids.size() + bundles.size();
    }

    /** Open streams not yet sent bundle {@code version} or a later one. */
    int streamsBehind(long version) {
        Predicate<IssuedCredential> sent = credential -> credential.trustBundleVersion() >= version;
        return svids.notSent(sent) + bundles.notSent(sent);
    }

    void closeAll() {
        svids.closeAll();
        bundles.closeAll();
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
        response.onError(jwtNotServed());
    }

    @Override
    public void fetchJWTBundles(JWTBundlesRequest request, StreamObserver<JWTBundlesResponse> response) {
        response.onError(jwtNotServed());
    }

    @Override
    public void validateJWTSVID(ValidateJWTSVIDRequest request, StreamObserver<ValidateJWTSVIDResponse> response) {
        response.onError(jwtNotServed());
    }

    private static RuntimeException jwtNotServed() {
        return Status.UNIMPLEMENTED
                .withDescription("this agent serves X509-SVIDs only; JWT-SVIDs are not available yet")
                .asRuntimeException();
    }
}
