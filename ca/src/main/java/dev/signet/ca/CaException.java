package dev.signet.ca;

import java.util.Locale;
import java.util.Objects;

/**
 * A refusal by the CA. The reason is machine-readable (metrics, gRPC status mapping); the message says, for a
 * person, which check failed and what would pass it.
 */
public class CaException extends RuntimeException {

    /** Which check refused. Stable names: they label metrics and appear in API errors. */
    public enum Reason {
        MALFORMED_PEM,
        MALFORMED_CSR,
        CSR_TOO_LARGE,
        CSR_SIGNATURE_INVALID,
        UNSUPPORTED_SIGNATURE_ALGORITHM,
        WEAK_KEY,
        UNSUPPORTED_KEY,
        INVALID_TTL,
        TTL_EXCEEDS_MAXIMUM,
        INVALID_SPIFFE_ID,
        TRUST_DOMAIN_MISMATCH,
        SIGNER_NOT_VALID,
        NO_ACTIVE_AUTHORITY,
        INVALID_AUTHORITY,
        INVALID_AUDIENCE,
        INVALID_JWT_SVID;

        /** The lower-case form used as a metric label, e.g. {@code ttl_exceeds_maximum}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public CaException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public CaException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return reason.label() + ": " + getMessage();
    }
}
