package dev.signet.benchmarks.plane;

import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.api.ca.v1.CreateCertificateResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Concurrent callers of CreateCertificate over TLS gRPC, one channel each, every call with the bearer token its
 * caller is handed for it: the same token again (a workload renewing) or a new one each time (workloads arriving).
 * Each caller makes one call at a time, the next from the answer to the last, on its channel's event loop: no thread
 * of the load generator waits for an answer, so the generator takes as little of the shared cores as it can.
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
    /**
     * The callers' one event loop: they only frame, encrypt and count, and on a machine the server shares, every
     * thread more of the generator's is one more to be scheduled between the server's.
     */
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("bench-callers", true), NioIoHandler.newFactory());

    /** {@code callers} channels to {@code localhost:port}, trusting {@code roots}. */
    CertificateCallers(int port, List<X509Certificate> roots, int callers) throws javax.net.ssl.SSLException {
        for (int i = 0; i < callers; i++) {
            channels.add(NettyChannelBuilder.forTarget("localhost:" + port)
                    .sslContext(GrpcSslContexts.forClient()
                            .trustManager(roots.toArray(new X509Certificate[0]))
                            .build())
                    .eventLoopGroup(loop)
                    .channelType(NioSocketChannel.class)
                    .directExecutor()
                    .build());
        }
    }

    /**
     * Every caller calls, one call after another, until {@code duration} passes or its {@code tokens} gives it null;
     * caller {@code c}'s CSRs are {@code csrs} from offset {@code c} on. {@code tokens} is asked on an event loop: it
     * must not wait.
     */
    Result run(IntFunction<String> tokens, List<String> csrs, Duration duration) throws Exception {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Caller> callers = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            Caller caller = new Caller(channels.get(c), c, tokens, csrs, end);
            callers.add(caller);
            caller.next();
        }
        List<long[]> all = new ArrayList<>();
        for (Caller caller : callers) {
            all.add(caller.done.get());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long[] latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(latencies, elapsed);
    }

    /** One caller's chain of calls; each answer starts the next call. */
    private static final class Caller implements StreamObserver<CreateCertificateResponse> {

        private final CertificateServiceGrpc.CertificateServiceStub stub;
        private final int index;
        private final IntFunction<String> tokens;
        private final List<String> csrs;
        private final long end;
        private final long[] latencies = new long[1 << 17];
        private final CompletableFuture<long[]> done = new CompletableFuture<>();
        private int calls;
        private long started;

        Caller(ManagedChannel channel, int index, IntFunction<String> tokens, List<String> csrs, long end) {
            this.stub = CertificateServiceGrpc.newStub(channel);
            this.index = index;
            this.tokens = tokens;
            this.csrs = csrs;
            this.end = end;
        }

        void next() {
            String token;
            if (System.nanoTime() >= end || (token = tokens.apply(index)) == null) {
                done.complete(Arrays.copyOf(latencies, Math.min(calls, latencies.length)));
                return;
            }
            started = System.nanoTime();
            stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(CallMetadata.bearer(token)))
                    .createCertificate(
                            CreateCertificateRequest.newBuilder()
                                    .setCsr(csrs.get((index + calls) % csrs.size()))
                                    .build(),
                            this);
        }

        @Override
        public void onNext(CreateCertificateResponse response) {
            if (calls < latencies.length) {
                latencies[calls] = System.nanoTime() - started;
            }
            calls++;
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            next();
        }
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
