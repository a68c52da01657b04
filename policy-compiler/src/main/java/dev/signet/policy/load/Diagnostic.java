package dev.signet.policy.load;

/**
 * One finding of loading or checking, fully placed: file, document, resource ({@code Kind namespace/name}) and
 * field path. What {@code signet check} prints and what status conditions carry.
 */
public record Diagnostic(Severity severity, Location location, String resource, String field, String message) {

    /** NOTE says what follows from an error (what is enforced instead); it is neither an error nor a warning. */
    public enum Severity {
        ERROR,
        WARNING,
        NOTE
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public boolean isWarning() {
        return severity == Severity.WARNING;
    }

    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(location).append(": ").append(severity.name().toLowerCase(java.util.Locale.ROOT));
        if (resource != null) {
            out.append(": ").append(resource);
        }
        if (field != null && !field.isEmpty()) {
            out.append(": ").append(field);
        }
        return out.append(": ").append(message).toString();
    }
}
