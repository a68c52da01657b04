package dev.signet.policy.eval;

/** Istio's string match forms: exact, {@code prefix*}, {@code *suffix}, and {@code *} for any non-empty value. */
final class Wildcards {

    private Wildcards() {}

    static boolean matches(String pattern, String value) {
        if (value == null) {
            return false;
        }
        if (pattern.equals("*")) {
            return !value.isEmpty();
        }
        if (pattern.startsWith("*")) {
            return value.endsWith(pattern.substring(1));
        }
        if (pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return value.equals(pattern);
    }
}
