package dev.signet.cli.api;

import dev.signet.api.spiffe.workload.X509SVID;
import dev.signet.api.spiffe.workload.X509SVIDRequest;
import dev.signet.api.spiffe.workload.X509SVIDResponse;
import dev.signet.cli.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code signet api x509}: the X509-SVIDs and bundles a workload is given. */
@Command(
        name = "x509",
        mixinStandardHelpOptions = true,
        description = "Print the X509-SVIDs the socket gives (SPIFFE ID, serial, validity, chain length) and its "
                + "bundles; exits 1 when a chain does not verify against its bundle.")
final class ApiX509Command implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    WorkloadApiSocket socket;

    private final CliContext context;

    ApiX509Command(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (WorkloadApiSocket.Connection connection = socket.open()) {
            X509SVIDResponse response = connection
                    .api()
                    .fetchX509SVID(X509SVIDRequest.getDefaultInstance())
                    .next();
            boolean allVerify = true;
            for (X509SVID svid : response.getSvidsList()) {
                List<X509Certificate> chain = certificates(svid.getX509Svid().toByteArray());
                List<X509Certificate> roots = certificates(svid.getBundle().toByteArray());
                X509Certificate leaf = chain.get(0);
                Instant notAfter = leaf.getNotAfter().toInstant();
                boolean verifies = Chains.verify(chain, roots);
                allVerify &= verifies;
                out.printf(
                        "%s%n  serial %s, valid until %s (%s left), %d certificate(s) in the chain%n"
                                + "  bundle: %d root(s); the chain %s%n",
                        svid.getSpiffeId(),
                        leaf.getSerialNumber().toString(16),
                        notAfter,
                        dev.signet.ca.HumanDuration.format(
                                Duration.between(context.clock().instant(), notAfter)
                                        .withNanos(0)),
                        chain.size(),
                        roots.size(),
                        verifies ? "verifies against it" : "does NOT verify against it");
            }
            out.flush();
            return allVerify ? 0 : 1;
        }
    }

    static List<X509Certificate> certificates(byte[] der) throws CertificateException {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der)).stream()
                .map(X509Certificate.class::cast)
                .toList();
    }
}
