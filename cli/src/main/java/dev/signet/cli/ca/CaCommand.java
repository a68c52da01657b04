package dev.signet.cli.ca;

import picocli.CommandLine.Command;

/** {@code signet ca}: the CA as a command-line tool. */
@Command(
        name = "ca",
        mixinStandardHelpOptions = true,
        description = "Create a CA, sign CSRs, inspect certificates.",
        subcommands = {CaInitCommand.class, CaSignCommand.class, CaInspectCommand.class, CaBundleCommand.class})
public final class CaCommand {}
