package dev.signet.cli.policy;

import dev.signet.policy.check.PolicyCheck;
import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.select.MeshPolicies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The folder of YAML and the root namespace, shared by the policy commands. */
final class MeshOptions {

    @Parameters(
            index = "0",
            paramLabel = "PATH",
            description =
                    "A folder of policies and Workload documents (*.yaml, *.yml, read recursively), one file, or -"
                            + " for standard input.")
    Path directory;

    @Option(
            names = "--root-namespace",
            defaultValue = MeshPolicies.DEFAULT_ROOT_NAMESPACE,
            paramLabel = "NS",
            description = "Namespace whose policies apply mesh-wide (default: ${DEFAULT-VALUE}).")
    String rootNamespace;

    @Option(
            names = "--ignore-errors",
            description = "Go on when DIR has invalid resources. An invalid policy is "
                    + "not left out: it is decided with as Signet enforces it until it is fixed (an ALLOW policy that matches "
                    + "nothing, a DENY policy that matches everything, STRICT mutual TLS).")
    boolean ignoreErrors;

    /**
     * Loads DIR; refuses (returns null after printing the errors) when a resource is invalid unless told to go on,
     * and then says, on {@code err}, what stands in for each invalid policy.
     */
    PolicyCheck.Loaded loadOrReport(PrintWriter err) throws IOException {
        PolicyCheck.Loaded loaded = PolicyInput.load(new PolicyCheck(rootNamespace), directory, System.in);
        if (loaded.load().hasErrors() && !ignoreErrors) {
            loaded.load().diagnostics().stream().filter(Diagnostic::isError).forEach(d -> err.println(d.format()));
            err.println("signet: " + loaded.load().errorCount() + " invalid resource(s) in " + directory
                    + "; fix them (see 'signet check') or pass --ignore-errors");
            err.flush();
            return null;
        }
        loaded.load().diagnostics().stream()
                .filter(d -> d.severity() == Diagnostic.Severity.NOTE)
                .forEach(d -> err.println(d.format()));
        err.flush();
        return loaded;
    }
}
