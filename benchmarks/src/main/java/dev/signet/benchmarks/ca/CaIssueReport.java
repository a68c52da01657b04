package dev.signet.benchmarks.ca;

import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.benchmarks.OpensslSpeed;
import dev.signet.ca.crypto.CryptoProviders;
import java.io.PrintStream;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ca-issue}: certificates per second on one thread, against the OpenSSL ceiling measured in the same run,
 * {@code 1 / (1/sign + 1/verify)} for ECDSA P-256: an issuance has to verify one signature and make one.
 */
public final class CaIssueReport implements BenchmarkMain.Report {

    @Override
    public String description() {
        return "one X509-SVID issuance (P-256 CSR verify + build + sign + encode), vs openssl speed ecdsap256";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        out.println("signing provider: " + CryptoProviders.detect().signingProviderName());
        OpensslSpeed.Rates openssl = OpensslSpeed.ecdsaP256(3);
        out.printf(
                "openssl speed ecdsap256: %.0f sign/s, %.0f verify/s -> ceiling %.0f certs/s%n",
                openssl.signPerSecond(), openssl.verifyPerSecond(), openssl.issuanceCeiling());

        Options options = new OptionsBuilder()
                .include(CaIssueBenchmark.class.getName())
                .forks(1)
                .jvmArgsAppend("-Xms2g", "-Xmx2g")
                .threads(1)
                .warmupIterations(5)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(8)
                .measurementTime(TimeValue.seconds(2))
                .addProfiler("gc")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double detected = 0;
        for (RunResult result : results) {
            String providers = result.getParams().getParam("providers");
            double score = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            out.printf(
                    "issuance (%s): %.0f ± %.0f certs/s (%.1f µs each), %.2f of the openssl ceiling%n",
                    providers, score, error, 1e6 / score, score / openssl.issuanceCeiling());
            if (providers.equals("detected")) {
                detected = score;
            }
        }
        out.printf("goal: at least 0.9 of the ceiling, i.e. %.0f certs/s%n", openssl.issuanceCeiling() * 0.9);
        return detected / openssl.issuanceCeiling();
    }
}
