package dev.signet.api;

import io.grpc.Metadata;

/**
 * The metadata the CA services read and write beside their messages: part of the wire contract as much as the
 * protos, so declared once here for the control plane, the agent and every other client.
 */
public final class CallMetadata {

    /** How a workload presents its service-account token: {@code authorization: Bearer <token>}. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** The reason of a refusal, machine-readable, in the trailers of every refused call. */
    public static final Metadata.Key<String> REFUSAL_REASON =
            Metadata.Key.of("signet-refusal-reason", Metadata.ASCII_STRING_MARSHALLER);

    private static final String BEARER = "Bearer ";

    private CallMetadata() {}

    /** Headers that present {@code token}. */
    public static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, BEARER + token);
        return headers;
    }

    /** The token in an {@code authorization} value, or null when it is not a bearer token. */
    public static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).trim();
    }
}
