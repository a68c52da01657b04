package dev.signet.cli.inject;

import dev.signet.controlplane.inject.InjectionSettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet inject -f FILE|-}: the manifest with the agent added to its pods, on standard output. */
@Command(
        name = "inject",
        mixinStandardHelpOptions = true,
        description = "Add the Signet agent to every pod a manifest describes (Pods, Deployments, StatefulSets, "
                + "DaemonSets, ReplicaSets, Jobs, CronJobs), as a native sidecar (Kubernetes 1.29+): the workload "
                + "gets its SPIFFE certificate before its containers start, in /var/run/signet/certs. Other "
                + "documents pass through unchanged. For GitOps: kubectl apply -f <(signet inject -f app.yaml).")
public final class InjectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "The manifest, or - for standard input.")
    String file;

    @Option(
            names = "--image",
            paramLabel = "IMAGE",
            description = "The agent's image (default: ghcr.io/signet-mesh/signet:VERSION).")
    String image;

    @Option(
            names = "--control-plane",
            defaultValue = "signet.signet-system.svc:15012",
            paramLabel = "HOST:PORT",
            description = "The control plane's CA and xDS address (default: ${DEFAULT-VALUE}).")
    String controlPlane;

    @Option(
            names = "--token-audience",
            defaultValue = "signet-ca",
            paramLabel = "AUDIENCE",
            description =
                    "The audience of the projected token, as the control plane expects (default: ${DEFAULT-VALUE}).")
    String audience;

    @Override
    public Integer call() throws Exception {
        String text = file.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file));
        String agentImage = image != null ? image : InjectionSettings.defaultImage();
        ManifestInjector.Result result =
                new ManifestInjector(new InjectionSettings(agentImage, controlPlane, audience)).inject(text);
        PrintWriter out = spec.commandLine().getOut();
        out.print(result.yaml());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        for (ManifestInjector.Outcome outcome : result.outcomes()) {
            err.println((outcome.injected() ? "injected " : "skipped  ")
                    + outcome.resource()
                    + (outcome.injected() ? "" : ": " + outcome.reason()));
        }
        err.printf(
                "%d of %d document(s) injected%n",
                result.injected(), result.outcomes().size());
        err.flush();
        return 0;
    }
}
