package dev.signet.policy.validate;

import java.util.Optional;

/**
 * Path forms: exact ({@code /a}), prefix ({@code /a/*}), suffix ({@code *.js}), any ({@code *}), and templates
 * whose segments may be {@code {*}} (exactly one segment) or {@code {**}} (one or more, last only).
 */
public final class PathPatterns {

    private PathPatterns() {}

    public static boolean isTemplate(String path) {
        return path.contains("{") || path.contains("}");
    }

    public static Optional<String> check(String path) {
        if (isTemplate(path)) {
            return checkTemplate(path);
        }
        Optional<String> wildcard = Patterns.wildcard(path);
        if (wildcard.isPresent()) {
            return wildcard;
        }
        if (!path.startsWith("/") && !path.startsWith("*")) {
            return Optional.of("a path starts with '/' (or '*' for a suffix match)");
        }
        return Optional.empty();
    }

    private static Optional<String> checkTemplate(String path) {
        if (!path.startsWith("/")) {
            return Optional.of("a path template starts with '/'");
        }
        if (path.contains("*") && path.replace("{**}", "").replace("{*}", "").contains("*")) {
            return Optional.of("'*' wildcards cannot be mixed with {*}/{**} templates");
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean operator = segment.equals("{*}") || segment.equals("{**}");
            if (!operator && (segment.contains("{") || segment.contains("}"))) {
                return Optional.of("template segment \"" + segment
                        + "\" is not allowed; a segment is either literal, {*} or {**}");
            }
            if (segment.equals("{**}") && i != segments.length - 1) {
                return Optional.of("{**} must be the last segment of a path template");
            }
        }
        return Optional.empty();
    }
}
