package dev.signet.cli.plane;

import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.cli.CliContext;
import dev.signet.cli.DurationConverter;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.state.StateDirectory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet token}: a service-account token from the standalone control plane's issuer. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Print a service-account token signed by the standalone control plane's key (what Kubernetes' "
                + "'kubectl create token' gives in a cluster).")
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--namespace", required = true, paramLabel = "NS", description = "The workload's namespace.")
    String namespace;

    @Option(
            names = "--service-account",
            required = true,
            paramLabel = "NAME",
            description = "The workload's service account: the token names spiffe://<td>/ns/<NS>/sa/<NAME>.")
    String serviceAccount;

    @Option(
            names = "--ttl",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "Lifetime (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(
            names = "--audience",
            defaultValue = LocalTokenIssuer.DEFAULT_AUDIENCE,
            description = "Audience (default: ${DEFAULT-VALUE}).")
    String audience;

    @Option(
            names = "--state-dir",
            defaultValue = ".signet",
            paramLabel = "DIR",
            description = "The control plane's state directory (default: ${DEFAULT-VALUE}).")
    Path stateDirectory;

    private final CliContext context;

    TokenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(stateDirectory)) {
            throw new NoSuchFileException(stateDirectory.toString(), null, "start 'signet serve' once to create it");
        }
        // Names that could not form a SPIFFE ID are refused here, rather than at the CA later.
        WorkloadIdentity identity = new WorkloadIdentity(namespace, serviceAccount);
        StateDirectory state = new StateDirectory(stateDirectory);
        LocalTokenIssuer issuer = new LocalTokenIssuer(
                state.loadOrCreateTokenKey(CryptoProviders.detect(), context.random()), context.clock());
        String token = issuer.issue(identity, ttl, audience);
        spec.commandLine().getOut().println(token);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
