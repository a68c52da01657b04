package dev.signet.benchmarks.plane;

import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.ca.IssuanceLimiter;
import dev.signet.controlplane.identity.WorkloadIdentity;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code ca-grpc}: CreateCertificate over TLS gRPC from concurrent callers (token authentication, CSR, issuance,
 * response), certificates per second and p99 latency; the reference is the in-process issuance rate of the same run
 * on the same CA. Ends with {@code ratio: gRPC rate ÷ in-process rate}.
 */
public final class CaGrpcReport implements BenchmarkMain.Report {

    private static final int CALLERS = 8;
    /**
     * Long enough for the JIT to be done with gRPC, Netty and TLS on two cores: after 4 s its compiler threads still
     * took a fifth of the CPU, and the figure was a third lower than once they were quiet.
     */
    private static final Duration WARM_UP = Duration.ofSeconds(12);

    private static final Duration MEASURE = Duration.ofSeconds(10);

    @Override
    public String description() {
        return "CreateCertificate over TLS gRPC with 8 concurrent callers: certs/s and p99, vs in-process issuance";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("signet-bench-ca");
        try (ControlPlane controlPlane = ControlPlane.start(
                ControlPlaneConfig.defaults(dir)
                        .withEphemeralPorts()
                        // Raw issuance is measured: one caller's share would cap it long before the CA does.
                        .withIssuanceLimits(IssuanceLimiter.Limits.UNLIMITED),
                Clock.systemUTC(),
                new SecureRandom())) {
            List<String> csrs = BenchCsrs.many(64);
            String token = controlPlane
                    .tokenIssuer()
                    .issue(new WorkloadIdentity("bench", "caller"), Duration.ofHours(1), "signet-ca");

            double inProcess = inProcessRate(controlPlane, csrs);
            out.printf("in-process issuance (same CA, one thread): %.0f certs/s%n", inProcess);

            try (CertificateCallers callers = new CertificateCallers(
                    controlPlane.grpcPort(), controlPlane.trustBundle().roots(), CALLERS)) {
                callers.run(caller -> token, csrs, WARM_UP);
                CertificateCallers.Result measured = callers.run(caller -> token, csrs, MEASURE);
                out.printf(
                        "over gRPC (TLS, %d callers, token auth): %.0f certs/s; latency p50 %.2f ms, p99 %.2f ms (%d"
                                + " calls)%n",
                        CALLERS,
                        measured.perSecond(),
                        measured.p50Millis(),
                        measured.p99Millis(),
                        measured.latencies().length);
                return measured.perSecond() / inProcess;
            }
        } finally {
            dev.signet.ca.store.Directories.delete(dir);
        }
    }

    private static double inProcessRate(ControlPlane controlPlane, List<String> csrs) {
        SpiffeId id = SpiffeId.forServiceAccount("cluster.local", "bench", "caller");
        long end = System.nanoTime() + WARM_UP.toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            controlPlane.ca().sign(csrs.get(i++ % csrs.size()).getBytes(), id, null);
        }
        long start = System.nanoTime();
        int count = 0;
        end = start + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            controlPlane.ca().sign(csrs.get(count++ % csrs.size()).getBytes(), id, null);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
