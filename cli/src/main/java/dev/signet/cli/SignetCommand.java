package dev.signet.cli;

import dev.signet.cli.api.ApiCommand;
import dev.signet.cli.ca.CaCommand;
import dev.signet.cli.demo.DemoCommand;
import dev.signet.cli.graph.GraphCommand;
import dev.signet.cli.inject.InjectCommand;
import dev.signet.cli.plane.AgentCommand;
import dev.signet.cli.plane.TokenCommand;
import dev.signet.cli.policy.CheckCommand;
import dev.signet.cli.policy.CompileCommand;
import dev.signet.cli.policy.ExplainCommand;
import dev.signet.cli.proxy.ProxyStatusCommand;
import dev.signet.cli.rotate.RotateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code signet} command. */
@Command(
        name = "signet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Service-mesh identities and policies: a SPIFFE CA, an Istio-compatible policy compiler, "
                + "and an xDS control plane. 'signet serve' runs the control plane (a Quarkus application).",
        subcommands = {
            ServeCommand.class,
            AgentCommand.class,
            TokenCommand.class,
            RotateCommand.class,
            DemoCommand.class,
            InjectCommand.class,
            CaCommand.class,
            ApiCommand.class,
            CheckCommand.class,
            CompileCommand.class,
            ExplainCommand.class,
            GraphCommand.class,
            ProxyStatusCommand.class,
            CompletionCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SignetCommand {

    /** A command line wired with the given context and Signet's error handling. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine commandLine = new CommandLine(new SignetCommand(), new ContextFactory(context));
        commandLine.setExecutionExceptionHandler(new RefusalHandler());
        Examples.apply(commandLine);
        return commandLine;
    }
}
