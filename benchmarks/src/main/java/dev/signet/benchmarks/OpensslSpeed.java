package dev.signet.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine's OpenSSL signature speed, the same-run reference for signing benchmarks. */
public final class OpensslSpeed {

    /** Signatures and verifications per second, one thread. */
    public record Rates(double signPerSecond, double verifyPerSecond) {
        /** The most certificates one thread could issue if issuance were one sign and one verify and nothing else. */
        public double issuanceCeiling() {
            return 1 / (1 / signPerSecond + 1 / verifyPerSecond);
        }
    }

    private static final Pattern ECDSA_LINE =
            Pattern.compile("256 bits ecdsa \\(nistp256\\)\\s+\\S+s\\s+\\S+s\\s+([\\d.]+)\\s+([\\d.]+)");

    private OpensslSpeed() {}

    public static Rates ecdsaP256(int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        List.of("openssl", "speed", "-seconds", String.valueOf(seconds), "ecdsap256"))
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5L * seconds + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl speed failed:\n" + output);
        }
        Matcher matcher = ECDSA_LINE.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("cannot find the nistp256 line in openssl speed's output:\n" + output);
        }
        return new Rates(Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)));
    }
}
