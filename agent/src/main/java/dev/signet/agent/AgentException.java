package dev.signet.agent;

/** A request that did not produce a certificate; {@code reason} is the CA's refusal reason when it gave one. */
public final class AgentException extends Exception {

    private final String reason;

    public AgentException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
