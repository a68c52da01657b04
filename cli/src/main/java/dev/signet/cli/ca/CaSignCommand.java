package dev.signet.cli.ca;

import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.cli.CliContext;
import dev.signet.cli.DurationConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet ca sign}: issue an X509-SVID for a CSR with the CA in a directory. */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description = "Sign a CSR (PEM or DER) for a SPIFFE ID and print the chain (leaf, then intermediates) as PEM. "
                + "The CSR's own subject and SANs are ignored.")
final class CaSignCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--ca", required = true, paramLabel = "DIR", description = "CA directory (from 'signet ca init').")
    Path caDirectory;

    @Option(names = "--csr", required = true, paramLabel = "FILE", description = "PKCS#10 request, PEM or DER.")
    Path csr;

    @Option(
            names = "--spiffe-id",
            required = true,
            paramLabel = "ID",
            description = "Identity to certify, e.g. spiffe://cluster.local/ns/shop/sa/checkout.")
    String spiffeId;

    @Option(
            names = "--ttl",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Lifetime (default 24h; at most --max-ttl).")
    Duration ttl;

    @Option(
            names = "--max-ttl",
            defaultValue = "7d",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Refuse longer lifetimes (default: ${DEFAULT-VALUE}).")
    Duration maxTtl;

    @Option(
            names = "--trust-domain",
            paramLabel = "TD",
            description = "Trust domain of the CA; read from the CA's certificates when they name it.")
    String trustDomain;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the chain here instead of standard output.")
    Path out;

    private final CliContext context;

    CaSignCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        SpiffeId identity = SpiffeId.parse(spiffeId);
        byte[] request = Files.readAllBytes(csr);
        CryptoProviders providers = context.providers().get();
        SigningAuthority signer = new CaDirectory(caDirectory).load(providers).signer();
        String domain = trustDomain != null
                ? trustDomain
                : signer.trustDomain()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "the CA in " + caDirectory + " does not name its trust domain; pass --trust-domain"));
        IssuancePolicy defaults = IssuancePolicy.DEFAULT;
        IssuancePolicy policy = new IssuancePolicy(min(defaults.defaultTtl(), maxTtl), maxTtl, defaults.backdate());
        X509Svid svid = CertificateAuthority.withSigner(
                        domain, signer, providers, policy, context.clock(), context.random())
                .sign(request, identity, ttl);
        if (out != null) {
            dev.signet.ca.store.AtomicFiles.write(out, svid.chainPem(), false);
        } else {
            spec.commandLine().getOut().print(svid.chainPem());
            spec.commandLine().getOut().flush();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(
                "signed " + identity + ", serial " + svid.serial().toString(16) + ", valid until " + svid.notAfter());
        err.flush();
        return 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
