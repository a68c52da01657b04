package dev.signet.policy.compile;

import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/** Istio's string forms as Envoy StringMatchers: exact, {@code prefix*}, {@code *suffix}, and {@code *} (non-empty). */
final class StringMatchers {

    private static final String REGEX_META = "\\.^$*+?()[]{}|";

    private StringMatchers() {}

    static StringMatcher of(String pattern, boolean ignoreCase) {
        return of("", pattern, ignoreCase);
    }

    /** The pattern with {@code prefix} put in front of its literal part (e.g. {@code spiffe://} for principals). */
    static StringMatcher of(String prefix, String pattern, boolean ignoreCase) {
        StringMatcher.Builder matcher = StringMatcher.newBuilder().setIgnoreCase(ignoreCase);
        if (pattern.equals("*")) {
            return regex(prefix.isEmpty() ? ".+" : quote(prefix) + ".+");
        }
        if (pattern.startsWith("*")) {
            return matcher.setSuffix(pattern.substring(1)).build();
        }
        if (pattern.endsWith("*")) {
            return matcher.setPrefix(prefix + pattern.substring(0, pattern.length() - 1))
                    .build();
        }
        return matcher.setExact(prefix + pattern).build();
    }

    static StringMatcher regex(String regex) {
        return StringMatcher.newBuilder()
                .setSafeRegex(RegexMatcher.newBuilder().setRegex(regex))
                .build();
    }

    /** Escapes regex metacharacters one by one (RE2 and java.util.regex both accept these escapes). */
    static String quote(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (REGEX_META.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A wildcard pattern as a regex fragment for a value confined to one path segment ({@code [^/]}). */
    static String segmentRegex(String pattern) {
        if (pattern.equals("*")) {
            return "[^/]+";
        }
        if (pattern.startsWith("*")) {
            return "[^/]*" + quote(pattern.substring(1));
        }
        if (pattern.endsWith("*")) {
            return quote(pattern.substring(0, pattern.length() - 1)) + "[^/]*";
        }
        return quote(pattern);
    }
}
