package dev.signet.cli;

/** The process entry point behind {@code bin/signet}. */
public final class SignetMain {

    private SignetMain() {}

    public static void main(String[] args) {
        System.exit(SignetCommand.commandLine(CliContext.system()).execute(args));
    }
}
