package dev.signet.benchmarks.plane;

import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Concurrent callers of CreateCertificate over TLS gRPC, one channel each, every call with the bearer token its
 * caller is handed for it: the same token again (a workload renewing) or a new one each time (workloads arriving).
 */
final class CertificateCallers implements AutoCloseable {

    /** What a run did: its calls' latencies in nanoseconds, sorted, over how long. */
    record Result(long[] latencies, Duration elapsed) {
        double perSecond() {
            return latencies.length / (elapsed.toNanos() / 1e9);
        }

        double p50Millis() {
            return latencies[latencies.length / 2] / 1e6;
        }

        double p99Millis() {
            return latencies[(int) (latencies.length * 0.99)] / 1e6;
        }
    }

    private final List<ManagedChannel> channels = new ArrayList<>();

    /** {@code callers} channels to {@code localhost:port}, trusting {@code roots}. */
    CertificateCallers(int port, List<X509Certificate> roots, int callers) throws javax.net.ssl.SSLException {
        for (int i = 0; i < callers; i++) {
            channels.add(NettyChannelBuilder.forTarget("localhost:" + port)
                    .sslContext(GrpcSslContexts.forClient()
                            .trustManager(roots.toArray(new X509Certificate[0]))
                            .build())
                    .build());
        }
    }

    /**
     * Every caller calls, one call after another, until {@code duration} passes or its {@code tokens} gives it null;
     * caller {@code c}'s CSRs are {@code csrs} from offset {@code c} on.
     */
    Result run(IntFunction<String> tokens, List<String> csrs, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(channels.size());
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < channels.size(); c++) {
                ManagedChannel channel = channels.get(c);
                int caller = c;
                results.add(pool.submit(() -> {
                    var stub = CertificateServiceGrpc.newBlockingStub(channel);
                    long[] latencies = new long[1 << 16];
                    int n = 0;
                    String token;
                    while (System.nanoTime() < end && (token = tokens.apply(caller)) != null) {
                        long t = System.nanoTime();
                        stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(CallMetadata.bearer(token)))
                                .createCertificate(CreateCertificateRequest.newBuilder()
                                        .setCsr(csrs.get((caller + n) % csrs.size()))
                                        .build());
                        if (n < latencies.length) {
                            latencies[n] = System.nanoTime() - t;
                        }
                        n++;
                    }
                    return Arrays.copyOf(latencies, Math.min(n, latencies.length));
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> result : results) {
                all.add(result.get());
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            long[] latencies =
                    all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(latencies, elapsed);
        } finally {
            pool.shutdown();
        }
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
