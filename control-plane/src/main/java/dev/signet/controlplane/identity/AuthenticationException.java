package dev.signet.controlplane.identity;

import java.util.Locale;

/** A credential that does not prove an identity, with the reason (a metric label) and a message for the caller. */
public final class AuthenticationException extends Exception {

    /** Why a credential was refused. */
    public enum Reason {
        MISSING,
        MALFORMED,
        TOO_LARGE,
        WRONG_ALGORITHM,
        BAD_SIGNATURE,
        EXPIRED,
        NOT_YET_VALID,
        WRONG_AUDIENCE,
        WRONG_ISSUER,
        NOT_A_SERVICE_ACCOUNT,
        FOREIGN_TRUST_DOMAIN,
        REVIEW_UNAVAILABLE,
        REJECTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
