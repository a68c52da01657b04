package dev.signet.policy.validate;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code when} keys Istio defines, in one table that validation, compilation and evaluation all read: the key's
 * text, whether it names something in brackets ({@code request.headers[x-token]}), whether it only means something on
 * HTTP, which side of a connection it describes (RBAC principal or permission) and how its values are checked. The
 * compiler and the evaluator switch on this enum without a default, so a key added here does not compile until both
 * know it.
 */
public enum ConditionKey {
    SOURCE_IP("source.ip", false, Side.SOURCE, IpBlocks::check),
    REMOTE_IP("remote.ip", false, Side.SOURCE, IpBlocks::check),
    SOURCE_NAMESPACE("source.namespace", false, Side.SOURCE, Patterns::namespace),
    SOURCE_PRINCIPAL("source.principal", false, Side.SOURCE, Patterns::principal),
    REQUEST_HEADERS("request.headers", true, Side.SOURCE, Patterns::wildcard),
    REQUEST_AUTH_PRINCIPAL("request.auth.principal", false, Side.SOURCE, Patterns::wildcard),
    REQUEST_AUTH_AUDIENCES("request.auth.audiences", false, Side.SOURCE, Patterns::wildcard),
    REQUEST_AUTH_PRESENTER("request.auth.presenter", false, Side.SOURCE, Patterns::wildcard),
    REQUEST_AUTH_CLAIMS("request.auth.claims", true, Side.SOURCE, Patterns::wildcard),
    DESTINATION_IP("destination.ip", false, Side.DESTINATION, IpBlocks::check),
    DESTINATION_PORT("destination.port", false, Side.DESTINATION, Patterns::port),
    CONNECTION_SNI("connection.sni", false, Side.DESTINATION, Patterns::wildcard);

    /** Which side of a connection a key describes: the caller (an RBAC principal) or what it calls (a permission). */
    public enum Side {
        SOURCE,
        DESTINATION
    }

    /** A key as written: which key, and what it names in brackets (empty for keys without). */
    public record Parsed(ConditionKey key, String argument) {}

    private final String text;
    private final boolean argument;
    private final Side side;
    private final Function<String, Optional<String>> values;

    ConditionKey(String text, boolean argument, Side side, Function<String, Optional<String>> values) {
        this.text = text;
        this.argument = argument;
        this.side = side;
        this.values = values;
    }

    public String text() {
        return text;
    }

    public Side side() {
        return side;
    }

    /** Whether the key names something in brackets, such as {@code request.headers[x-token]}. */
    public boolean takesName() {
        return argument;
    }

    /** Keys about the request (headers, authentication) mean nothing on a TCP port. */
    public boolean httpOnly() {
        return text.startsWith("request.");
    }

    /** What is wrong with one of its values, if anything. */
    public Optional<String> checkValue(String value) {
        return values.apply(value);
    }

    /** The key written as {@code written}, if it is a known one written as it must be. */
    public static Optional<Parsed> parse(String written) {
        int open = written.indexOf('[');
        String base = open < 0 ? written : written.substring(0, open);
        for (ConditionKey key : values()) {
            if (!key.text.equals(base)) {
                continue;
            }
            if (!key.argument) {
                return open < 0 ? Optional.of(new Parsed(key, "")) : Optional.empty();
            }
            if (open < 0 || !written.endsWith("]") || written.length() - 1 <= open + 1) {
                return Optional.empty();
            }
            return Optional.of(new Parsed(key, written.substring(open + 1, written.length() - 1)));
        }
        return Optional.empty();
    }

    /** What is wrong with a key as written, if anything: the validator's message for it. */
    public static Optional<String> problem(String written) {
        Optional<Parsed> parsed = parse(written);
        if (parsed.isPresent()) {
            return parsed.get().key() == REQUEST_HEADERS
                    ? Patterns.headerName(parsed.get().argument())
                    : Optional.empty();
        }
        int open = written.indexOf('[');
        String base = open < 0 ? written : written.substring(0, open);
        for (ConditionKey key : values()) {
            if (key.text.equals(base)) {
                return Optional.of(
                        key.argument
                                ? "\"" + written + "\" needs a name in brackets, e.g. " + base + "[x-name]"
                                : "\"" + written + "\" takes no name in brackets");
            }
        }
        if (written.startsWith("experimental.envoy.filters.")) {
            return Optional.of("experimental.envoy.filters.* keys are not supported by Signet");
        }
        return Optional.of("unknown condition key \"" + written + "\"; known: "
                + Arrays.stream(values())
                        .map(key -> key.text + (key.argument ? "[NAME]" : ""))
                        .collect(Collectors.joining(", ")));
    }
}
