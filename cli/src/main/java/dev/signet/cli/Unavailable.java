package dev.signet.cli;

/**
 * What a command needs from outside (a cluster, a control plane) cannot be had: one line and exit code 3, apart from
 * the 1 of a check that found errors, so that a script can tell "invalid" from "could not look".
 */
public final class Unavailable extends RuntimeException {

    public static final int EXIT_CODE = 3;

    public Unavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
