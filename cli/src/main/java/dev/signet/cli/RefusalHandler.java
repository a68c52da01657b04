package dev.signet.cli;

import dev.signet.ca.CaException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns failures into one line a person can act on, and exit code 1: a CA refusal names its reason, a missing or
 * existing file names the path. Unexpected errors keep their stack trace, because they are bugs.
 */
final class RefusalHandler implements CommandLine.IExecutionExceptionHandler {

    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        var err = commandLine.getErr();
        Throwable cause = e instanceof UncheckedIOException io ? io.getCause() : e;
        if (cause instanceof Unavailable unavailable) {
            err.println("signet: " + unavailable.getMessage());
            err.flush();
            return Unavailable.EXIT_CODE;
        }
        if (cause instanceof CaException refusal) {
            err.println("signet: refused (" + refusal.reason().label() + "): " + refusal.getMessage());
        } else if (cause instanceof NoSuchFileException missing) {
            // A reason given with the exception is the hint of what to do (e.g. start the control plane first).
            err.println("signet: no such file: " + missing.getFile()
                    + (missing.getReason() == null || missing.getReason().equals("no such file")
                            ? ""
                            : "; " + missing.getReason()));
        } else if (cause instanceof FileAlreadyExistsException exists) {
            err.println("signet: " + exists.getFile() + " exists: " + exists.getReason());
        } else if (cause instanceof io.grpc.StatusRuntimeException refused) {
            err.println("signet: " + refused.getStatus().getCode() + ": "
                    + refused.getStatus().getDescription());
        } else if (cause instanceof IllegalArgumentException invalid) {
            err.println("signet: " + invalid.getMessage());
        } else {
            err.println("signet: unexpected error: " + cause);
            cause.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }
}
