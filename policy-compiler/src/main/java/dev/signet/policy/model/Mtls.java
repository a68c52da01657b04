package dev.signet.policy.model;

/** The {@code mtls} block; an absent mode is UNSET. */
public record Mtls(MtlsMode mode) {
    public MtlsMode modeOrUnset() {
        return mode == null ? MtlsMode.UNSET : mode;
    }
}
