package dev.signet.benchmarks.plane;

import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.ca.IssuanceLimiter;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ca-grpc}: CreateCertificate over TLS gRPC from concurrent callers (token authentication, CSR, issuance,
 * response), certificates per second and p99 latency; the reference is the in-process issuance rate of the same run
 * on the same CA. Ends with {@code ratio: gRPC rate ÷ in-process rate}.
 */
public final class CaGrpcReport implements BenchmarkMain.Report {

    private static final int CALLERS = 8;
    private static final Duration WARM_UP = Duration.ofSeconds(4);
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

            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                channels.add(NettyChannelBuilder.forTarget("localhost:" + controlPlane.grpcPort())
                        .sslContext(GrpcSslContexts.forClient()
                                .trustManager(controlPlane.trustBundle().roots().toArray(new X509Certificate[0]))
                                .build())
                        .build());
            }
            Metadata headers = CallMetadata.bearer(token);
            run(channels, headers, csrs, WARM_UP);
            long issuedBefore = controlPlane.metrics().issuedCount();
            long[] latencies = run(channels, headers, csrs, MEASURE);
            long issued = controlPlane.metrics().issuedCount() - issuedBefore;
            double rate = issued / (double) MEASURE.toSeconds();
            Arrays.sort(latencies);
            out.printf(
                    "over gRPC (TLS, %d callers, token auth): %.0f certs/s; latency p50 %.2f ms, p99 %.2f ms (%d calls)%n",
                    CALLERS,
                    rate,
                    latencies[latencies.length / 2] / 1e6,
                    latencies[(int) (latencies.length * 0.99)] / 1e6,
                    latencies.length);
            channels.forEach(ManagedChannel::shutdownNow);
            return rate / inProcess;
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

    private static long[] run(List<ManagedChannel> channels, Metadata headers, List<String> csrs, Duration duration)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(channels.size());
        long end = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            ManagedChannel channel = channels.get(c);
            int offset = c;
            results.add(pool.submit(() -> {
                var stub = CertificateServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
                long[] latencies = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    stub.createCertificate(CreateCertificateRequest.newBuilder()
                            .setCsr(csrs.get((offset + n) % csrs.size()))
                            .build());
                    if (n < latencies.length) {
                        latencies[n] = System.nanoTime() - t;
                    }
                    n++;
                }
                return Arrays.copyOf(latencies, Math.min(n, latencies.length));
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> result : results) {
            for (long latency : result.get()) {
                all.add(latency);
            }
        }
        pool.shutdown();
        return all.stream().mapToLong(Long::longValue).toArray();
    }
}
