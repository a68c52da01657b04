package dev.signet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code signet serve} in the command list. The launchers ({@code bin/signet}, the image's entrypoint) run the control
 * plane, a Quarkus application of its own, before this CLI sees the word; this only answers when the CLI's jar is run
 * by hand.
 */
@Command(
        name = "serve",
        description = "Run the control plane: standalone on a folder of policies (--standalone DIR), or as the "
                + "Kubernetes operator when a cluster is configured. 'signet serve --help' lists its settings.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Unmatched
    java.util.List<String> arguments;

    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println("signet: 'serve' is the control plane's own program: run it as bin/signet serve, or with the"
                        + " image (this jar is the command line)");
        spec.commandLine().getErr().flush();
        return 2;
    }
}
