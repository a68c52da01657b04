package dev.signet.cli.rotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.cli.Structured;
import dev.signet.controlplane.admin.AdminCredential;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code signet rotate}: replace the mesh's root CA in phases that advance on what the control plane observes.
 * Talks to the running control plane's loopback admin endpoint; exit 1 when it refuses, with its reason.
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

    @Option(
            names = "--address",
            defaultValue = "127.0.0.1:15014",
            paramLabel = "HOST:PORT",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The control plane's HTTP port, on this host (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(
            names = "--state-dir",
            defaultValue = ".signet",
            paramLabel = "DIR",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The control plane's state directory, whose admin credential the call presents; run as the "
                    + "user that runs 'signet serve' (default: ${DEFAULT-VALUE}).")
    Path stateDirectory;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "text",
            paramLabel = "FORMAT",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
    String output;

    /** Runs one call against the endpoint and prints the status it answers with. */
    abstract static class Action implements Callable<Integer> {
        @ParentCommand
        RotateCommand parent;

        @Spec
        CommandSpec spec;

        abstract JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException;

        @Override
        public Integer call() throws Exception {
            if (!parent.output.equals("text") && !Structured.isStructured(parent.output)) {
                throw Structured.unknown(parent.output, "text, json or yaml");
            }
            PrintWriter out = spec.commandLine().getOut();
            try {
                AdminClient client = new AdminClient(parent.address, credential());
                JsonNode status = call(client);
                if (Structured.isStructured(parent.output)) {
                    out.println(Structured.render(parent.output, status));
                } else {
                    RotationStatusText.print(status, out);
                }
                out.flush();
                return 0;
            } catch (AdminClient.Refused e) {
                spec.commandLine().getErr().println("signet: refused: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }

        private String credential() throws AdminClient.Refused {
            try {
                return AdminCredential.read(parent.stateDirectory);
            } catch (java.io.IOException e) {
                throw new AdminClient.Refused(e.getMessage());
            }
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start a rotation to a new root (generated unless --root-dir). Automatic unless --manual.")
    static final class Start extends Action {
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

        @Override
        JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException {
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
        @Override
        JsonNode call(AdminClient client) throws AdminClient.Refused, InterruptedException {
            return client.get("/rotation");
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
    }
}
