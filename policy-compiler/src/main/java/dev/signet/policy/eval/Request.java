package dev.signet.policy.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a proxy knows about an inbound request. {@code peerPrincipal} is the mTLS peer's SPIFFE ID without the
 * scheme ({@code cluster.local/ns/shop/sa/checkout}), null for plaintext. HTTP fields are null on TCP.
 */
public record Request(
        int port,
        boolean tls,
        String peerPrincipal,
        String sourceIp,
        String remoteIp,
        String destinationIp,
        String sni,
        String method,
        String path,
        String host,
        Map<String, String> headers,
        String requestPrincipal,
        List<String> audiences,
        String presenter,
        Map<String, List<String>> claims) {

    public Request {
        TreeMap<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        }
        headers = Map.copyOf(lower);
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    public static Builder builder(int port) {
        return new Builder(port);
    }

    /** The path without its query string, as the RBAC filter matches it. */
    public String pathWithoutQuery() {
        if (path == null) {
            return null;
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** The source namespace, from a peer principal of the form {@code <td>/ns/<ns>/...}. */
    public String sourceNamespace() {
        if (peerPrincipal == null) {
            return null;
        }
        String[] parts = peerPrincipal.split("/", -1);
        return parts.length >= 4 && !parts[0].isEmpty() && parts[1].equals("ns") && !parts[2].isEmpty()
                ? parts[2]
                : null;
    }

    public String remoteIpOrSource() {
        return remoteIp != null ? remoteIp : sourceIp;
    }

    /** Fluent construction for tests and the CLI. */
    public static final class Builder {
        private final int port;
        private boolean tls;
        private String peerPrincipal;
        private String sourceIp;
        private String remoteIp;
        private String destinationIp;
        private String sni;
        private String method;
        private String path;
        private String host;
        private Map<String, String> headers = Map.of();
        private String requestPrincipal;
        private List<String> audiences = List.of();
        private String presenter;
        private Map<String, List<String>> claims = Map.of();

        private Builder(int port) {
            this.port = port;
        }

        /** An mTLS peer; accepts the SPIFFE URI or the bare principal. */
        public Builder from(String principal) {
            this.tls = true;
            this.peerPrincipal = principal == null
                    ? null
                    : principal.startsWith("spiffe://") ? principal.substring("spiffe://".length()) : principal;
            return this;
        }

        public Builder plaintext() {
            this.tls = false;
            this.peerPrincipal = null;
            return this;
        }

        public Builder sourceIp(String ip) {
            this.sourceIp = ip;
            return this;
        }

        public Builder remoteIp(String ip) {
            this.remoteIp = ip;
            return this;
        }

        public Builder destinationIp(String ip) {
            this.destinationIp = ip;
            return this;
        }

        public Builder sni(String value) {
            this.sni = value;
            return this;
        }

        public Builder method(String value) {
            this.method = value;
            return this;
        }

        public Builder path(String value) {
            this.path = value;
            return this;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder headers(Map<String, String> value) {
            this.headers = value;
            return this;
        }

        public Builder requestPrincipal(String value) {
            this.requestPrincipal = value;
            return this;
        }

        public Builder audiences(List<String> value) {
            this.audiences = value;
            return this;
        }

        public Builder presenter(String value) {
            this.presenter = value;
            return this;
        }

        public Builder claims(Map<String, List<String>> value) {
            this.claims = value;
            return this;
        }

        public Request build() {
            return new Request(
                    port,
                    tls,
                    peerPrincipal,
                    sourceIp,
                    remoteIp,
                    destinationIp,
                    sni,
                    method,
                    path,
                    host,
                    headers,
                    requestPrincipal,
                    audiences,
                    presenter,
                    claims);
        }
    }
}
