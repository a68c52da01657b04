package dev.signet.cli.ca;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.bundle.SpiffeBundleJson;
import dev.signet.ca.crypto.Pem;
import dev.signet.cli.DurationConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code signet ca bundle}: the trust bundle in the form another tool reads, a SPIFFE bundle or PEM. */
@Command(
        name = "bundle",
        mixinStandardHelpOptions = true,
        description = "Print a trust bundle (by default the control plane's, from its state directory) as a SPIFFE "
                + "bundle (JWK set, for SPIFFE federation and libraries) or as PEM. The running control plane serves "
                + "the same at GET /bundle on its HTTP port, with the bundle version as sequence number.")
final class CaBundleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "FILE",
            description = "PEM file of root certificates (default: root-cert.pem in --state-dir).")
    Path file;

    @Option(
            names = "--state-dir",
            defaultValue = ".signet",
            paramLabel = "DIR",
            description = "The control plane's state directory (default: ${DEFAULT-VALUE}).")
    Path stateDirectory;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "spiffe",
            paramLabel = "FORMAT",
            description = "spiffe or pem (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(
            names = "--sequence",
            paramLabel = "N",
            description = "The bundle's sequence number (spiffe_sequence); none unless given.")
    Long sequence;

    @Option(
            names = "--refresh-hint",
            defaultValue = "5m",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "How often readers should fetch the bundle again (default: ${DEFAULT-VALUE}).")
    Duration refreshHint;

    @Override
    public Integer call() throws IOException {
        if (!output.equals("spiffe") && !output.equals("pem")) {
            throw new IllegalArgumentException("unknown output format '" + output + "'; use spiffe or pem");
        }
        if (sequence != null && sequence < 0) {
            throw new IllegalArgumentException("--sequence must not be negative");
        }
        Path source = file != null ? file : stateDirectory.resolve("root-cert.pem");
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(
                    source.toString(), null, file != null ? "no such file" : "start 'signet serve' once to create it");
        }
        List<X509Certificate> roots = Pem.certificates(Files.readString(source));
        if (roots.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no certificate");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("pem")) {
            out.print(Pem.encode(roots));
        } else {
            out.println(new SpiffeBundleJson(new ObjectMapper())
                    .write(roots, sequence == null ? OptionalLong.empty() : OptionalLong.of(sequence), refreshHint));
        }
        out.flush();
        return 0;
    }
}
