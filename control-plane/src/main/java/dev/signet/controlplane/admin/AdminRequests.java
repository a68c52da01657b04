package dev.signet.controlplane.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a request to an admin endpoint may go on, from what the HTTP server saw of it. Each rule closes one
 * way in: callers on other hosts (and, through the loopback test alone, every local user, sidecar and port-forward,
 * so the credential is always needed); browsers (a web page can post to loopback: any request carrying an
 * {@code Origin} or a {@code Sec-Fetch-Site} header is a browser's); DNS rebinding (a {@code Host} that is not a
 * loopback name); and forms posted cross-site (only {@code application/json} bodies).
 */
public final class AdminRequests {

    /** What the HTTP server saw: the peer's literal address and the request's method and headers (null if absent). */
    public record Seen(
            String remoteAddress,
            String method,
            String host,
            String origin,
            String secFetchSite,
            String contentType,
            String authorization) {}

    /** Why a request is refused, with the HTTP status to answer. */
    public record Refusal(int status, String message) {}

    private final AdminCredential credential;

    public AdminRequests(AdminCredential credential) {
        this.credential = credential;
    }

    public Optional<Refusal> check(Seen request) {
        if (!isLoopbackLiteral(request.remoteAddress())) {
            return refuse(
                    403,
                    "the admin endpoints answer loopback callers only; run signet rotate on the control "
                            + "plane's host (or through kubectl port-forward)");
        }
        if (request.origin() != null || request.secFetchSite() != null) {
            return refuse(403, "requests from a browser are refused by the admin endpoints");
        }
        if (request.host() != null && !isLoopbackName(hostName(request.host()))) {
            return refuse(
                    403,
                    "the Host \"" + request.host() + "\" is not a loopback name; the admin endpoints "
                            + "answer 127.0.0.1, [::1] and localhost only");
        }
        if (!credential.accepts(request.authorization())) {
            return refuse(
                    401,
                    "the admin endpoints need the credential in the control plane's state directory ("
                            + AdminCredential.FILE + "); signet rotate presents it (--state-dir, default .signet)");
        }
        if ("POST".equals(request.method()) && !isJson(request.contentType())) {
            return refuse(415, "an admin request's body must be application/json");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(int status, String message) {
        return Optional.of(new Refusal(status, message));
    }

    private static boolean isJson(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("application/json");
    }

    /** The host of a Host header: {@code [::1]:15014} gives {@code ::1}, {@code localhost:15014} gives localhost. */
    static String hostName(String host) {
        String value = host.strip();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(1, end);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    private static boolean isLoopbackName(String name) {
        return name.equalsIgnoreCase("localhost") || isLoopbackLiteral(name);
    }

    /** True for an IP address literal on loopback; a name is never looked up (it would be the attacker's to answer). */
    static boolean isLoopbackLiteral(String address) {
        if (address == null
                || address.isEmpty()
                || !(address.indexOf(':') >= 0 || address.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
