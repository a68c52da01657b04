package dev.signet.cli;

/** The process entry point behind {@code bin/signet}. */
public final class SignetMain {

    private SignetMain() {}

    public static void main(String[] args) {
        // One line per log record (time, level, logger, message), not JUL's two.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(SignetCommand.commandLine(CliContext.system()).execute(args));
    }
}
