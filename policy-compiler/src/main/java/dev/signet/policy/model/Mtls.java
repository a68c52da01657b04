package dev.signet.policy.model;

/** The {@code mtls} block; an absent mode is UNSET. */
public record Mtls(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription("UNSET (inherit), DISABLE (plain text), "
                + "PERMISSIVE (both; the default) or STRICT (mutual TLS only).")
        MtlsMode mode) {
    public MtlsMode modeOrUnset() {
        return mode == null ? MtlsMode.UNSET : mode;
    }
}
