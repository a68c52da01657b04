package dev.signet.cli.ca;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.KeyType;
import dev.signet.cli.CliContext;
import dev.signet.cli.DurationConverter;
import dev.signet.controlplane.config.ServeSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet ca init}: mint a root and an intermediate into a directory. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Create a root CA and an intermediate signing CA under it, as PEM files in DIR "
                + "(root-cert.pem, root-key.pem, ca-cert.pem, ca-key.pem, cert-chain.pem).")
final class CaInitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the CA into.")
    Path out;

    @Option(
            names = "--key-type",
            defaultValue = "ec-p256",
            paramLabel = "TYPE",
            description = "ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096.")
    String keyType;

    @Option(
            names = "--trust-domain",
            defaultValue = ServeSettings.DEFAULT_TRUST_DOMAIN,
            paramLabel = "TD",
            description = "Trust domain the CA issues for (default: ${DEFAULT-VALUE}).")
    String trustDomain;

    @Option(
            names = "--root-validity",
            defaultValue = "3650d",
            converter = DurationConverter.class,
            description = "Root validity (default: ${DEFAULT-VALUE}).")
    Duration rootValidity;

    @Option(
            names = "--intermediate-validity",
            defaultValue = "365d",
            converter = DurationConverter.class,
            description = "Intermediate validity, capped at the root's (default: ${DEFAULT-VALUE}).")
    Duration intermediateValidity;

    @Option(names = "--force", description = "Replace a CA that already exists in DIR.")
    boolean force;

    private final CliContext context;

    CaInitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        KeyType type = KeyType.fromCliName(keyType);
        MintedAuthority minted = new AuthorityMinter(context.providers().get(), context.clock(), context.random())
                .mint(trustDomain, type, rootValidity, intermediateValidity);
        new CaDirectory(out).save(minted, force);
        PrintWriter w = spec.commandLine().getOut();
        w.println("created a CA (" + type.cliName() + ") for trust domain " + trustDomain + " in " + out);
        describe(w, "root", minted.signer().root());
        describe(w, "intermediate", minted.signer().certificate());
        w.println("  root SHA-256:  "
                + Fingerprints.colonSeparated(minted.signer().rootFingerprint()));
        w.println("  keys (" + CaDirectory.ROOT_KEY + ", " + CaDirectory.CA_KEY + ") are readable by their owner only;"
                + " keep root-key.pem offline if you can");
        w.flush();
        return 0;
    }

    private static void describe(PrintWriter w, String role, X509Certificate certificate) {
        w.printf(
                "  %-13s  %s, valid until %s%n",
                role + ":",
                certificate.getSubjectX500Principal().getName(),
                certificate.getNotAfter().toInstant());
    }
}
