package dev.signet.policy.validate;

/** A problem with one field of one resource. */
public record FieldError(FieldPath field, String message, boolean warning) {

    public static FieldError error(FieldPath field, String message) {
        return new FieldError(field, message, false);
    }

    public static FieldError warning(FieldPath field, String message) {
        return new FieldError(field, message, true);
    }

    @Override
    public String toString() {
        return (field.toString().isEmpty() ? "" : field + ": ") + message;
    }
}
