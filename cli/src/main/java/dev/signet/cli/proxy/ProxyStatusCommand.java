package dev.signet.cli.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.cli.OutputFormat;
import dev.signet.cli.Unavailable;
import dev.signet.cli.reach.AdminClient;
import dev.signet.cli.reach.ClusterReplicas;
import dev.signet.cli.reach.ControlPlaneOptions;
import dev.signet.cli.reach.Replica;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code signet proxy-status}: one table of every connected proxy across the control plane's replicas, like
 * {@code istioctl proxy-status}. Exit 0 when every replica answered, 3 when one could not be asked (what the others
 * said is still printed), 1 when a replica refused the call.
 */
@Command(
        name = "proxy-status",
        mixinStandardHelpOptions = true,
        description = "Every connected proxy and, per xDS type, whether it took what was sent: SYNCED (ACKed), NACKED "
                + "(refused; its error is printed), STALE (no answer yet) or NOT SENT. Asks the control plane on this"
                + " host, or with --cluster every replica in the cluster (through port-forwards). Exit status: 0, 1"
                + " when refused, 3 when a replica cannot be reached.")
public final class ProxyStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ControlPlaneOptions target;

    @Mixin
    OutputFormat output;

    private final Clock clock;

    public ProxyStatusCommand() {
        this(Clock.systemUTC());
    }

    ProxyStatusCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        target.validate(spec.commandLine());
        output.checked();
        ProxyStatusReport report = new ProxyStatusReport();
        try (ClusterReplicas.Reached reached = target.reach()) {
            reached.unreachable().forEach(report::unreachable);
            for (Replica replica : reached.replicas()) {
                try {
                    report.add(replica.name(), replica.admin().get("/debug/proxies"));
                } catch (Unavailable e) {
                    if (!target.cluster()) {
                        throw e;
                    }
                    report.unreachable(replica.name() + ": " + e.getMessage());
                } catch (AdminClient.Refused e) {
                    spec.commandLine().getErr().println("signet: refused by " + replica.name() + ": " + e.getMessage());
                    spec.commandLine().getErr().flush();
                    return 1;
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(
                output.structured()
                        ? output.render(report.tree(new ObjectMapper())) + System.lineSeparator()
                        : report.text(clock.instant()));
        out.flush();
        if (report.unreachable().isEmpty()) {
            return 0;
        }
        report.unreachable().forEach(line -> spec.commandLine().getErr().println("signet: unreachable: " + line));
        spec.commandLine().getErr().flush();
        return Unavailable.EXIT_CODE;
    }
}
