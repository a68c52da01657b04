package dev.signet.cli.api;

import picocli.CommandLine.Command;

/** {@code signet api}: ask a Workload API socket, as a workload would. */
@Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description = "Ask a SPIFFE Workload API socket (a Signet agent's, or SPIRE's) for what a workload gets there.",
        subcommands = {ApiX509Command.class, ApiJwtCommand.class, ApiValidateCommand.class})
public final class ApiCommand {}
