package dev.signet.benchmarks.ca;

import dev.signet.benchmarks.BenchmarkMain;
import java.io.PrintStream;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code jwt-mint}: JWT-SVIDs per second on one thread, against the same token signed in-process with the fastest
 * ECDSA provider here.
 */
public final class JwtMintReport implements BenchmarkMain.Report {

    @Override
    public String description() {
        return "one JWT-SVID minted by the CA (ES256), vs the same token signed in-process (Conscrypt or JDK)";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        Options options = new OptionsBuilder()
                .include(JwtMintBenchmark.class.getName())
                .forks(1)
                .jvmArgsAppend("-Xms1g", "-Xmx1g")
                .threads(1)
                .warmupIterations(4)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(6)
                .measurementTime(TimeValue.seconds(2))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double ca = 0;
        double floor = 0;
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            double score = result.getPrimaryResult().getScore();
            out.printf(
                    "%s: %.0f ± %.0f tokens/s (%.1f µs each)%n",
                    label.substring(label.lastIndexOf('.') + 1),
                    score,
                    result.getPrimaryResult().getScoreError(),
                    1e6 / score);
            if (label.endsWith(".ca")) {
                ca = score;
            } else {
                floor = score;
            }
        }
        out.printf(
                "signing provider: %s%n",
                dev.signet.ca.crypto.CryptoProviders.detect().signingProviderName());
        out.printf("CA minting vs in-process signing of the same token: %.2f (goal: at least 0.5)%n", ca / floor);
        return ca / floor;
    }
}
