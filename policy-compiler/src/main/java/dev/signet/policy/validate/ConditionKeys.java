package dev.signet.policy.validate;

import java.util.Optional;
import java.util.Set;

/** The {@code when} keys Istio defines, and which of them only make sense for HTTP. */
public final class ConditionKeys {

    public static final String REQUEST_HEADERS = "request.headers";
    public static final String REQUEST_AUTH_CLAIMS = "request.auth.claims";

    private static final Set<String> PLAIN = Set.of("source.ip", "remote.ip", "source.namespace", "source.principal",
            "request.auth.principal", "request.auth.audiences", "request.auth.presenter",
            "destination.ip", "destination.port", "connection.sni");

    private ConditionKeys() {
    }

    /** The key's base name ({@code request.headers[x-token]} -> {@code request.headers}). */
    public static String base(String key) {
        int bracket = key.indexOf('[');
        return bracket < 0 ? key : key.substring(0, bracket);
    }

    /** The bracketed argument ({@code request.headers[x-token]} -> {@code x-token}). */
    public static String argument(String key) {
        int open = key.indexOf('[');
        return open < 0 ? "" : key.substring(open + 1, key.length() - 1);
    }

    public static boolean isHttpOnly(String key) {
        return key.startsWith("request.");
    }

    public static Optional<String> check(String key) {
        if (PLAIN.contains(key)) {
            return Optional.empty();
        }
        String base = base(key);
        if (base.equals(REQUEST_HEADERS) || base.equals(REQUEST_AUTH_CLAIMS)) {
            if (!key.endsWith("]") || argument(key).isEmpty()) {
                return Optional.of("\"" + key + "\" needs a name in brackets, e.g. " + base + "[x-name]");
            }
            return base.equals(REQUEST_HEADERS) ? Patterns.headerName(argument(key)) : Optional.empty();
        }
        if (key.startsWith("experimental.envoy.filters.")) {
            return Optional.of("experimental.envoy.filters.* keys are not supported by Signet");
        }
        return Optional.of("unknown condition key \"" + key + "\"; known: source.ip, remote.ip, source.namespace, "
                + "source.principal, request.headers[NAME], request.auth.principal, request.auth.audiences, "
                + "request.auth.presenter, request.auth.claims[NAME], destination.ip, destination.port, connection.sni");
    }
}
