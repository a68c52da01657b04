package dev.signet.policy.validate;

import java.util.Optional;
import java.util.regex.Pattern;

/** Checks for the string forms that policies use; each returns the reason a value is refused, if it is. */
public final class Patterns {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern PRINCIPAL_CHARS = Pattern.compile("[A-Za-z0-9._\\-/*]+");
    private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z0-9_-]*");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+|:[a-z]+");

    private Patterns() {}

    /** Istio's wildcard rule for string matches: at most one {@code *}, at the start or the end. */
    public static Optional<String> wildcard(String value) {
        int first = value.indexOf('*');
        if (first < 0 || value.equals("*")) {
            return Optional.empty();
        }
        if (value.indexOf('*', first + 1) >= 0) {
            return Optional.of("only one '*' is allowed");
        }
        if (first != 0 && first != value.length() - 1) {
            return Optional.of("'*' is only allowed at the start or the end");
        }
        return Optional.empty();
    }

    public static Optional<String> principal(String value) {
        if (value.startsWith("spiffe://")) {
            return Optional.of("write principals without the scheme, e.g. \"" + value.substring("spiffe://".length())
                    + "\" (with it, the principal would never match)");
        }
        if (!PRINCIPAL_CHARS.matcher(value).matches()) {
            return Optional.of("a principal is <trust-domain>/ns/<namespace>/sa/<service-account>; "
                    + "only letters, digits, '.', '-', '_', '/' and one '*' are allowed");
        }
        if (value.contains("//")) {
            return Optional.of("a principal has no empty path segment ('//')");
        }
        return wildcard(value);
    }

    public static Optional<String> namespace(String value) {
        Optional<String> wildcard = wildcard(value);
        if (wildcard.isPresent()) {
            return wildcard;
        }
        String bare = value.replace("*", "");
        if (bare.isEmpty()) {
            return Optional.empty();
        }
        String checked = bare.startsWith("-") || bare.endsWith("-") ? "a" + bare + "a" : bare;
        if (value.contains("*")
                ? !checked.matches("[-a-z0-9]+")
                : !DNS_LABEL.matcher(bare).matches()) {
            return Optional.of("not a Kubernetes namespace name (lower-case letters, digits and '-')");
        }
        return Optional.empty();
    }

    /** The {@code <namespace>/<service-account>} form of {@code serviceAccounts}. */
    public static Optional<String> serviceAccount(String value) {
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
            return Optional.of("a service account is written <namespace>/<name>, e.g. \"shop/checkout\"");
        }
        if (value.contains("*")) {
            return Optional.of("service accounts do not take wildcards");
        }
        if (!DNS_LABEL.matcher(value.substring(0, slash)).matches()
                || !DNS_SUBDOMAIN.matcher(value.substring(slash + 1)).matches()) {
            return Optional.of("not a valid <namespace>/<name>");
        }
        return Optional.empty();
    }

    public static Optional<String> method(String value) {
        Optional<String> wildcard = wildcard(value);
        if (wildcard.isPresent() || value.equals("*")) {
            return wildcard;
        }
        String literal = value.startsWith("*")
                ? value.substring(1)
                : value.endsWith("*") ? value.substring(0, value.length() - 1) : value;
        if (!METHOD.matcher(literal).matches() && !(value.startsWith("*") && literal.matches("[A-Z0-9_-]+"))) {
            return Optional.of("HTTP methods are upper case, e.g. GET or POST (\"" + value + "\" would never match)");
        }
        return Optional.empty();
    }

    public static Optional<String> headerName(String value) {
        return HEADER_NAME.matcher(value).matches()
                ? Optional.empty()
                : Optional.of("\"" + value + "\" is not a valid HTTP header name");
    }

    public static Optional<String> port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                return Optional.of("port " + port + " is out of range 1-65535");
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.of("\"" + value + "\" is not a port number");
        }
    }

    public static boolean isDnsLabel(String value) {
        return DNS_LABEL.matcher(value).matches();
    }

    public static boolean isDnsSubdomain(String value) {
        return value.length() <= 253 && DNS_SUBDOMAIN.matcher(value).matches();
    }
}
