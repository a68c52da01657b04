package dev.signet.cli.rotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.cli.CliContext;
import dev.signet.cli.OutputFormat;
import dev.signet.cli.reach.AdminClient;
import dev.signet.cli.reach.ControlPlaneOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code signet rotate}: replace the mesh's root CA in phases that advance on what the control plane observes.
 * Talks to the running control plane's loopback admin endpoint or, with {@code --cluster}, to the cluster's
 * RootRotation resources; exit 1 when it refuses, with its reason.
 */
@Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        description = "Rotate the mesh's root CA: prepare (both roots trusted), activate (the new root signs), retire "
                + "(only the new root trusted), each phase gated on confirmations from the agents and on the CA's "
                + "inventory of leaves.",
        subcommands = {
            RotateCommand.Start.class,
            RotateCommand.Status.class,
            RotateCommand.Advance.class,
            RotateCommand.Rollback.class,
            RotateCommand.Force.class,
            RotateCommand.Issuer.class
        })
public final class RotateCommand {

    @Mixin
    ControlPlaneOptions target;

    @Mixin
    OutputFormat output;

    /**
     * Runs one call, against the local endpoint or, with {@code --cluster}, as a change to the cluster's
     * RootRotation resource, and prints the status it answers with.
     */
    abstract static class Action implements Callable<Integer> {
        @ParentCommand
        RotateCommand parent;

        @Spec
        CommandSpec spec;

        abstract JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException;

        abstract JsonNode call(ClusterRotations rotations) throws AdminClient.Refused, InterruptedException;

        @Override
        public Integer call() throws Exception {
            parent.target.validate(spec.commandLine());
            parent.output.checked();
            try {
                if (parent.target.cluster()) {
                    try (ClusterRotations rotations = new ClusterRotations(parent.target.kubernetes())) {
                        return show(call(rotations), rotations::status);
                    }
                }
                try (var reached = parent.target.reach()) {
                    AdminClient client = reached.replicas().get(0).admin();
                    return show(call(client), () -> client.get("/rotation"));
                }
            } catch (AdminClient.Refused e) {
                spec.commandLine().getErr().println("signet: refused: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }

        /** Prints {@code status}; {@link Status} may watch {@code source} from there. */
        int show(JsonNode status, StatusWatch.Source source) throws AdminClient.Refused, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            if (parent.output.structured()) {
                out.println(parent.output.render(status));
            } else {
                RotationStatusText.print(status, out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start a rotation to a new root (generated unless --root-dir). Automatic unless --manual.")
    static final class Start extends Action {
        private final Clock clock;

        Start(CliContext context) {
            this.clock = context.clock();
        }

        @Option(
                names = "--manual",
                description = "Advance only when told ('signet rotate advance'), still through the gates.")
        boolean manual;

        @Option(
                names = "--root-dir",
                paramLabel = "DIR",
                description =
                        "The new CA in the plug-in layout (ca-cert.pem, ca-key.pem, cert-chain.pem, root-cert.pem, "
                                + "optionally root-key.pem), as 'signet ca init' writes it; read here and sent to the control "
                                + "plane.")
        Path rootDirectory;

        @Option(
                names = "--key-type",
                defaultValue = "ec-p256",
                description = "A generated root's key (default: ${DEFAULT-VALUE}).")
        String keyType;

        @Option(
                names = "--root-validity",
                defaultValue = "3650d",
                paramLabel = "DURATION",
                description = "A generated root's validity (default: ${DEFAULT-VALUE}).")
        String rootValidity;

        @Option(
                names = "--archive",
                description = "Keep the retired root's keys in the state directory instead of destroying them.")
        boolean archive;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "With --cluster: the RootRotation's name (default: root-rotation-<date and time>).")
        String name;

        @Option(
                names = "--root-secret",
                paramLabel = "SECRET",
                description = "With --cluster: the new CA is in this Secret of the control plane's namespace, in the "
                        + "plug-in layout; the chart must let Signet read it (rbac.rootSecrets).")
        String rootSecret;

        @Override
        JsonNode call(ClusterRotations rotations) throws AdminClient.Refused {
            if (rootDirectory != null) {
                throw new AdminClient.Refused("--root-dir is read by a local control plane; in a cluster, put the new"
                        + " CA in a Secret of its namespace (kubectl create secret generic NAME --from-file=DIR) and"
                        + " give --root-secret NAME");
            }
            Map<String, Object> newRoot = rootSecret != null
                    ? Map.of("secretRef", Map.of("name", rootSecret))
                    : Map.of("generate", Map.of("algorithm", keyType, "validity", rootValidity));
            String resource = name != null
                    ? name
                    : "root-rotation-"
                            + clock.instant()
                                    .toString()
                                    .replaceAll("[^0-9]", "")
                                    .substring(0, 14);
            return rotations.start(resource, manual, newRoot, archive);
        }

        @Override
        JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException {
            if (name != null || rootSecret != null) {
                throw new AdminClient.Refused("--name and --root-secret go with --cluster");
            }
            ObjectNode body = client.json()
                    .createObjectNode()
                    .put("mode", manual ? "manual" : "automatic")
                    .put("keyType", keyType)
                    .put("rootValidity", rootValidity)
                    .put("archive", archive);
            if (rootDirectory != null) {
                CaMaterial material = new CaDirectory(rootDirectory).read();
                if (!material.hasSigner()) {
                    throw new AdminClient.Refused(
                            rootDirectory + " holds no " + CaMaterial.CA_CERT + " and " + CaMaterial.CA_KEY);
                }
                ObjectNode root = body.putObject("root");
                material.files().forEach(root::put);
            }
            return client.post("/rotation/start", body);
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "The phase, the gate and who holds it, the bundle version, leaves left under the old root.")
    static final class Status extends Action {
        private final Clock clock;

        Status(CliContext context) {
            this.clock = context.clock();
        }

        @Option(
                names = {"-w", "--watch"},
                description = "Keep watching until the rotation completes: redrawn in place with a countdown to the "
                        + "next phase on a terminal, a line per change when piped (one JSON document per change with "
                        + "-o json). Exit 0 once complete, 1 if refused.")
        boolean watch;

        @Option(
                names = "--interval",
                defaultValue = "1s",
                paramLabel = "DURATION",
                converter = dev.signet.cli.DurationConverter.class,
                description = "With --watch: how often to ask (default: ${DEFAULT-VALUE}).")
        Duration interval;

        @Override
        JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException {
            return client.get("/rotation");
        }

        @Override
        JsonNode call(ClusterRotations rotations) throws AdminClient.Refused {
            return rotations.status();
        }

        @Override
        int show(JsonNode status, StatusWatch.Source source) throws AdminClient.Refused, InterruptedException {
            if (!watch) {
                return super.show(status, source);
            }
            boolean terminal = System.console() != null;
            return new StatusWatch(
                            source,
                            clock,
                            duration -> Thread.sleep(duration.toMillis()),
                            spec.commandLine().getOut(),
                            terminal,
                            parent.output.checked())
                    .run(interval);
        }
    }

    @Command(
            name = "advance",
            mixinStandardHelpOptions = true,
            description = "Manual mode: let the rotation take its next phase once that phase's gate opens.")
    static final class Advance extends Action {
        @Override
        JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException {
            return client.post("/rotation/advance", client.json().createObjectNode());
        }

        @Override
        JsonNode call(ClusterRotations rotations) throws AdminClient.Refused {
            return rotations.advance();
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Turn back to the old root from any phase before complete, through the same gates.")
    static final class Rollback extends Action {
        @Override
        JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException {
            return client.post("/rotation/rollback", client.json().createObjectNode());
        }

        @Override
        JsonNode call(ClusterRotations rotations) throws AdminClient.Refused {
            return rotations.rollback();
        }
    }

    @Command(
            name = "force",
            mixinStandardHelpOptions = true,
            description = "Pass the current gate without its condition (a workload that will never confirm); the "
                    + "reason is kept in the rotation's status.")
    static final class Force extends Action {
        @Option(names = "--reason", required = true, description = "Why; kept on record.")
        String reason;

        @Override
        JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException {
            return client.post(
                    "/rotation/force", client.json().createObjectNode().put("reason", reason));
        }

        @Override
        JsonNode call(ClusterRotations rotations) throws AdminClient.Refused {
            return rotations.force(reason);
        }
    }

    @Command(
            name = "issuer",
            mixinStandardHelpOptions = true,
            description =
                    "Replaces the issuing (intermediate) CA under the same root: no bundle change, no early renewal; "
                            + "leaves of the old issuer stay valid until they are renewed.")
    static final class Issuer extends Action {
        @Option(
                names = "--key-type",
                defaultValue = "ec-p256",
                paramLabel = "TYPE",
                description = "ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096.")
        String keyType;

        @Option(
                names = "--validity",
                defaultValue = "365d",
                paramLabel = "DURATION",
                description = "How long the new issuer is valid (never past the root): 365d by default.")
        String validity;

        @Override
        JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException {
            return client.post(
                    "/rotation/issuer",
                    client.json().createObjectNode().put("keyType", keyType).put("validity", validity));
        }

        @Override
        JsonNode call(ClusterRotations rotations) throws AdminClient.Refused {
            throw new AdminClient.Refused("rotate issuer works on a standalone control plane; a cluster's issuer is "
                    + "replaced with its root (signet rotate start --cluster), or by replacing the CA Secret");
        }
    }
}
