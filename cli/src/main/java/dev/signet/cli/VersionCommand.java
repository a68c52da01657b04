package dev.signet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
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

    @Mixin
    OutputFormat output;

    /** A build: its version and commit. */
    private record Build(String version, String commit) {}

    /** What one control plane said: its build, or why it said nothing. */
    private record Server(String name, Optional<Build> build, String silence) {}

    @Override
    public Integer call() throws InterruptedException {
        target.validate(spec.commandLine());
        output.checked();
        Build client = new Build(Version.current(), Version.commit());
        List<Server> servers = new ArrayList<>();
        if (!target.cluster()) {
            servers.add(new Server(
                    target.address(),
                    server(target.address()),
                    "no control plane answers at " + target.address() + " (--address)"));
        } else {
            try (ClusterReplicas.Reached reached = target.reach()) {
                for (Replica replica : reached.replicas()) {
                    servers.add(new Server(
                            replica.name(), server(replica.address()), "does not answer through its port-forward"));
                }
                reached.unreachable().forEach(line -> {
                    int colon = line.indexOf(": ");
                    servers.add(new Server(line.substring(0, colon), Optional.empty(), line.substring(colon + 2)));
                });
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.structured()) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode tree = json.createObjectNode();
            tree.putObject("client").put("version", client.version()).put("commit", client.commit());
            ArrayNode list = tree.putArray("servers");
            for (Server server : servers) {
                ObjectNode node = list.addObject().put("name", server.name());
                server.build()
                        .ifPresentOrElse(
                                build -> node.put("version", build.version()).put("commit", build.commit()),
                                () -> node.put("error", server.silence()));
            }
            out.println(output.render(tree));
        } else {
            out.println("client: signet " + text(client));
            for (Server server : servers) {
                String label = target.cluster() ? "server " + server.name() : "server";
                out.println(label + ": "
                        + server.build().map(b -> "signet " + text(b)).orElse(server.silence()));
            }
        }
        out.flush();
        return 0;
    }

    private static String text(Build build) {
        return build.version() + " (commit " + build.commit() + ")";
    }

    private static Optional<Build> server(String address) throws InterruptedException {
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
                    ? Optional.of(new Build(info.group(2), info.group(1)))
                    : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
