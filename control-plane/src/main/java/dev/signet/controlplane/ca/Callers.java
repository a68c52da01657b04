package dev.signet.controlplane.ca;

import dev.signet.api.CallMetadata;
import dev.signet.ca.CaException;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.identity.AuthenticationException;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.Metadata;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Who is calling, from what {@link CallCredentials} put in the call's context: a bearer token wins over a client
 * certificate; a client certificate must be a Signet X509-SVID of this trust domain, which the TLS layer has
 * already verified against the trust bundle.
 */
public final class Callers {

    private final TokenAuthenticator tokens;
    private final String trustDomain;

    public Callers(TokenAuthenticator tokens, String trustDomain) {
        this.tokens = tokens;
        this.trustDomain = trustDomain;
    }

    /**
     * Whether {@link #authenticate} will answer a call with {@code headers} without waiting on anything outside this
     * process: a client certificate is checked here, a token as its authenticator says.
     */
    public boolean answersAtOnce(Metadata headers) {
        String token = CallMetadata.bearerToken(headers.get(CallMetadata.AUTHORIZATION));
        return token == null || tokens.answersAtOnce(token);
    }

    public WorkloadIdentity authenticate() throws AuthenticationException {
        String token = CallCredentials.TOKEN.get();
        if (token != null) {
            return tokens.authenticate(token);
        }
        List<X509Certificate> chain = CallCredentials.PEER_CHAIN.get();
        if (chain != null && !chain.isEmpty()) {
            return fromCertificate(chain.get(0));
        }
        throw new AuthenticationException(
                AuthenticationException.Reason.MISSING,
                "send a service-account token (authorization: Bearer ...) or, to renew, your current certificate");
    }

    /**
     * What tells one workload instance from another of the same identity: the certificate it presents (each instance
     * holds its own leaf), else its token (a projected token is a pod's). Authenticate first.
     */
    public static String instance() {
        List<X509Certificate> chain = CallCredentials.PEER_CHAIN.get();
        if (chain != null && !chain.isEmpty()) {
            return "x509:" + chain.get(0).getSerialNumber().toString(16);
        }
        String token = CallCredentials.TOKEN.get();
        return "token:"
                + (token == null
                        ? ""
                        : dev.signet.ca.crypto.Fingerprints.sha256(
                                token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    private WorkloadIdentity fromCertificate(X509Certificate certificate) throws AuthenticationException {
        SpiffeId id;
        try {
            id = SpiffeId.fromCertificate(certificate);
        } catch (CaException e) {
            throw new AuthenticationException(
                    AuthenticationException.Reason.MALFORMED,
                    "the client certificate is not an X509-SVID: " + e.getMessage());
        }
        if (!id.isMemberOf(trustDomain)) {
            throw new AuthenticationException(
                    AuthenticationException.Reason.FOREIGN_TRUST_DOMAIN,
                    "the client certificate is for trust domain " + id.trustDomain());
        }
        String[] segments = id.path().split("/", -1);
        if (segments.length != 5 || !segments[1].equals("ns") || !segments[3].equals("sa")) {
            throw new AuthenticationException(
                    AuthenticationException.Reason.NOT_A_SERVICE_ACCOUNT,
                    "the client certificate's identity " + id + " is not a service account's");
        }
        try {
            return new WorkloadIdentity(segments[2], segments[4]);
        } catch (CaException e) {
            throw new AuthenticationException(AuthenticationException.Reason.NOT_A_SERVICE_ACCOUNT, e.getMessage());
        }
    }
}
