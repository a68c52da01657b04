package dev.signet.agent.workload;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * The Workload API's one request rule: every call carries {@code workload.spiffe.io: true}, which a browser or a proxy
 * relaying someone else's request would not add (a guard against server-side request forgery). Without it the call is
 * refused with INVALID_ARGUMENT, as the specification says, before any service code runs.
 */
final class SecurityHeader implements ServerInterceptor {

    static final Metadata.Key<String> KEY = Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (!"true".equals(headers.get(KEY))) {
            call.close(
                    Status.INVALID_ARGUMENT.withDescription("security header missing from request: workload.spiffe.io"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
