package dev.signet.cli.ca;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.ca.CaException;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.lifetime.ExpiryMargin;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.cli.CliContext;
import dev.signet.cli.Structured;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code signet ca inspect}: what a person wants to know about certificates, without reading openssl's dump. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description =
                "Print each certificate's SPIFFE ID, subject, issuer, validity and SHA-256 fingerprint. Exits with "
                        + "3 when any certificate has no more than its expiry margin left (or has expired), so CI can fail on it.")
final class CaInspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "PEM file with one or more certificates (or one DER certificate).")
    Path file;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text (the default), json or yaml.")
    String output;

    @Option(
            names = "--margin",
            paramLabel = "MARGIN",
            description = "Expiry margin: a share of each certificate's lifetime (e.g. 25%%) or a duration (e.g. 30d); "
                    + "default: a third of the lifetime.")
    String margin;

    /** The exit code when a certificate is within its expiry margin: distinct from 1, a refusal or bad input. */
    static final int WITHIN_MARGIN = 3;

    private final CliContext context;

    CaInspectCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<X509Certificate> certificates = Pem.looksLikePem(bytes)
                ? Pem.certificates(new String(bytes, StandardCharsets.US_ASCII))
                : List.of(Pem.certificate(bytes));
        Instant now = context.clock().instant();
        ExpiryMargin expiry = margin == null ? ExpiryMargin.DEFAULT : parseMargin(margin);
        PrintWriter w = spec.commandLine().getOut();
        switch (output) {
            case "json", "yaml" -> w.println(Structured.render(output, json(certificates, now, expiry)));
            case "text" -> text(w, certificates, now);
            default -> throw Structured.unknown(output, "text, json or yaml");
        }
        w.flush();
        boolean within = false;
        PrintWriter err = spec.commandLine().getErr();
        for (int i = 0; i < certificates.size(); i++) {
            X509Certificate certificate = certificates.get(i);
            if (expiry.reached(certificate, now)) {
                within = true;
                err.printf(
                        "signet: certificate %d of %d (%s, %s) %s; its expiry margin is %s (%s): rotate it%n",
                        i + 1,
                        certificates.size(),
                        role(certificate),
                        nameOrEmpty(certificate.getSubjectX500Principal().getName()),
                        remaining(certificate, now),
                        human(expiry.of(certificate)),
                        expiry);
            }
        }
        err.flush();
        return within ? WITHIN_MARGIN : 0;
    }

    static ExpiryMargin parseMargin(String value) {
        try {
            return ExpiryMargin.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--margin: " + e.getMessage());
        }
    }

    private static void text(PrintWriter w, List<X509Certificate> certificates, Instant now) {
        for (int i = 0; i < certificates.size(); i++) {
            X509Certificate certificate = certificates.get(i);
            if (i > 0) {
                w.println();
            }
            w.printf("certificate %d of %d: %s%n", i + 1, certificates.size(), role(certificate));
            w.printf("  SPIFFE ID:   %s%n", spiffeId(certificate).orElse("(none)"));
            w.printf(
                    "  subject:     %s%n",
                    nameOrEmpty(certificate.getSubjectX500Principal().getName()));
            w.printf(
                    "  issuer:      %s%n",
                    nameOrEmpty(certificate.getIssuerX500Principal().getName()));
            w.printf("  serial:      %s%n", certificate.getSerialNumber().toString(16));
            w.printf("  key:         %s%n", describe(certificate.getPublicKey()));
            w.printf("  not before:  %s%n", certificate.getNotBefore().toInstant());
            w.printf("  not after:   %s (%s)%n", certificate.getNotAfter().toInstant(), remaining(certificate, now));
            w.printf("  SHA-256:     %s%n", Fingerprints.colonSeparated(fingerprint(certificate)));
        }
    }

    private static ArrayNode json(List<X509Certificate> certificates, Instant now, ExpiryMargin expiry) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (X509Certificate certificate : certificates) {
            ObjectNode node = array.addObject();
            node.put("role", role(certificate));
            spiffeId(certificate).ifPresentOrElse(id -> node.put("spiffeId", id), () -> node.putNull("spiffeId"));
            node.put("subject", certificate.getSubjectX500Principal().getName());
            node.put("issuer", certificate.getIssuerX500Principal().getName());
            node.put("serial", certificate.getSerialNumber().toString(16));
            node.put("key", describe(certificate.getPublicKey()));
            node.put("notBefore", certificate.getNotBefore().toInstant().toString());
            node.put("notAfter", certificate.getNotAfter().toInstant().toString());
            node.put("expired", !now.isBefore(certificate.getNotAfter().toInstant()));
            node.put("withinExpiryMargin", expiry.reached(certificate, now));
            node.put("sha256", fingerprint(certificate));
        }
        return array;
    }

    private static String role(X509Certificate certificate) {
        if (certificate.getBasicConstraints() < 0) {
            return "leaf";
        }
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                ? "root CA"
                : "intermediate CA";
    }

    private static Optional<String> spiffeId(X509Certificate certificate) {
        try {
            return Optional.of(SpiffeId.fromCertificate(certificate).uri());
        } catch (CaException e) {
            return Optional.empty();
        }
    }

    private static String remaining(X509Certificate certificate, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (!now.isBefore(notAfter)) {
            return "EXPIRED " + human(Duration.between(notAfter, now)) + " ago";
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return "NOT YET VALID";
        }
        return "expires in " + human(Duration.between(now, notAfter));
    }

    private static String human(Duration d) {
        long days = d.toDays();
        if (days >= 2) {
            return days + "d";
        }
        long hours = d.toHours();
        return hours >= 1 ? hours + "h" + (d.toMinutesPart() > 0 ? d.toMinutesPart() + "m" : "") : d.toMinutes() + "m";
    }

    private static String describe(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return "ECDSA P-" + bits;
        }
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        return key.getAlgorithm();
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return Fingerprints.sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nameOrEmpty(String name) {
        return name.isEmpty() ? "(empty)" : name;
    }
}
