package dev.signet.cli;

import dev.signet.cli.reach.ClusterReplicas;
import dev.signet.cli.reach.ControlPlaneOptions;
import dev.signet.cli.reach.Replica;
import dev.signet.controlplane.config.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code signet version}: this program's version and commit and, when its HTTP port answers, the control plane's
 * (read from its {@code signet_build_info} metric, which needs no credential); with {@code --cluster}, each
 * replica's.
 */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        description = "Print this command line's version and commit, and the control plane's when it answers (with "
                + "--cluster: each replica's).")
final class VersionCommand implements Callable<Integer> {

    private static final Pattern BUILD_INFO =
            Pattern.compile("signet_build_info\\{commit=\"([^\"]*)\",version=\"([^\"]*)\"}");

    @Spec
    CommandSpec spec;

    @Mixin
    ControlPlaneOptions target;

    @Override
    public Integer call() throws InterruptedException {
        target.validate(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        out.println("client: signet " + Version.current() + " (commit " + Version.commit() + ")");
        if (!target.cluster()) {
            out.println(server(target.address())
                    .map(version -> "server: signet " + version)
                    .orElse("server: no control plane answers at " + target.address() + " (--address)"));
        } else {
            try (ClusterReplicas.Reached reached = target.reach()) {
                for (Replica replica : reached.replicas()) {
                    out.println(server(replica.address())
                            .map(version -> "server " + replica.name() + ": signet " + version)
                            .orElse("server " + replica.name() + ": does not answer through its port-forward"));
                }
                reached.unreachable().forEach(line -> out.println("server " + line));
            }
        }
        out.flush();
        return 0;
    }

    private static Optional<String> server(String address) throws InterruptedException {
        try {
            HttpResponse<String> metrics = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(3))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + address + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            Matcher info = BUILD_INFO.matcher(metrics.body());
            return metrics.statusCode() == 200 && info.find()
                    ? Optional.of(info.group(2) + " (commit " + info.group(1) + ")")
                    : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
