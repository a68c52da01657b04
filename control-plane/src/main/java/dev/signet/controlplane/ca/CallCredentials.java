package dev.signet.controlplane.ca;

import dev.signet.api.CallMetadata;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What the caller presented: the bearer token from the {@code authorization} metadata and the TLS client chain
 * (already verified against the trust bundle by the TLS layer), put in the call's context for the service.
 */
public final class CallCredentials implements ServerInterceptor {

    static final Context.Key<String> TOKEN = Context.key("signet-bearer-token");
    public static final Context.Key<List<X509Certificate>> PEER_CHAIN = Context.key("signet-peer-chain");

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Context context = Context.current()
                .withValue(TOKEN, CallMetadata.bearerToken(headers.get(CallMetadata.AUTHORIZATION)))
                .withValue(PEER_CHAIN, peerChain(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        if (session == null) {
            return List.of();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return Arrays.stream(chain)
                    .filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }
}
