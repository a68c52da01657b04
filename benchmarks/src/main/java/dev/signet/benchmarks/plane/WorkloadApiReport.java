package dev.signet.benchmarks.plane;

import dev.signet.agent.Agent;
import dev.signet.agent.AgentConfig;
import dev.signet.agent.workload.UnixSockets;
import dev.signet.agent.workload.WorkloadApiServer;
import dev.signet.api.spiffe.workload.SpiffeWorkloadAPIGrpc;
import dev.signet.api.spiffe.workload.X509SVIDRequest;
import dev.signet.api.spiffe.workload.X509SVIDResponse;
import dev.signet.benchmarks.BenchmarkMain;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * {@code workload-api}: 1,000 workloads watching {@code FetchX509SVID} on one agent's socket, each on its own
 * connection; the time from a renewal (the agent holding the new certificate) to the last watcher receiving it, over
 * {@value #ROUNDS} renewals, and from a bundle push likewise. The control plane runs in a process of its own. The reference, measured in the same run over the same kind of socket, is gRPC's own
 * floor: a bare server that sends one ready message to the same number of streams. Also the heap per watcher.
 */
public final class WorkloadApiReport implements BenchmarkMain.Report {

    static final int WATCHERS = 1000;
    static final int ROUNDS = 60;
    private static final Duration GOAL = Duration.ofMillis(50);

    @Override
    public String description() {
        return "a renewal reaching the last of 1,000 Workload API watchers (p99), vs gRPC's bare fan-out";
    }

    /** The watchers of one socket: each counts its messages; round r ends when all have had their r-th. */
    private static final class Watchers implements AutoCloseable {
        private final List<ManagedChannel> channels = new ArrayList<>();
        private final AtomicReference<CountDownLatch> round = new AtomicReference<>(new CountDownLatch(WATCHERS));
        private final AtomicLong lastArrival = new AtomicLong();
        private final AtomicReference<X509SVIDResponse> sample = new AtomicReference<>();

        Watchers(Path socket, EpollEventLoopGroup loop) {
            Metadata header = UnixSockets.securityHeader();
            for (int i = 0; i < WATCHERS; i++) {
                ManagedChannel channel = UnixSockets.channel(socket, loop);
                channels.add(channel);
                SpiffeWorkloadAPIGrpc.newStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
                        .fetchX509SVID(X509SVIDRequest.getDefaultInstance(), new StreamObserver<>() {
                            @Override
                            public void onNext(X509SVIDResponse response) {
                                long now = System.nanoTime();
                                sample.set(response);
                                lastArrival.accumulateAndGet(now, Math::max);
                                round.get().countDown();
                            }

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onCompleted() {}
                        });
            }
        }

        /** Runs {@code trigger} (which answers when the change began), waits for every watcher; the nanoseconds. */
        long round(LongSupplier trigger) throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(WATCHERS);
            round.set(latch);
            lastArrival.set(0);
            long start = trigger.getAsLong();
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(latch.getCount() + " watchers did not receive the message");
            }
            return lastArrival.get() - start;
        }

        void awaitFirst() throws InterruptedException {
            if (!round.get().await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every watcher got its first message");
            }
        }

        @Override
        public void close() {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    /** gRPC alone: streams kept in a list, one prepared message sent to each. */
    private static final class Floor extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {
        private final List<StreamObserver<X509SVIDResponse>> streams = new CopyOnWriteArrayList<>();
        private volatile X509SVIDResponse message;

        @Override
        public void fetchX509SVID(X509SVIDRequest request, StreamObserver<X509SVIDResponse> response) {
            streams.add(response);
            response.onNext(message);
        }

        long publish() {
            long start = System.nanoTime();
            for (StreamObserver<X509SVIDResponse> stream : streams) {
                stream.onNext(message);
            }
            return start;
        }
    }

    @Override
    public double run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("signet-workload-api-bench");
        EpollEventLoopGroup clients = new EpollEventLoopGroup(2);
        try (ControlPlaneProcess.Started controlPlane = ControlPlaneProcess.start(dir.resolve("state"), "payments")) {
            Agent agent = Agent.create(
                    AgentConfig.of(
                            "localhost:" + controlPlane.port(),
                            dir.resolve("state/root-cert.pem"),
                            dir.resolve("token"),
                            dir.resolve("certs")),
                    Clock.systemUTC(),
                    new SecureRandom());
            // Registered before the server's: called first, when the agent holds the new certificate.
            AtomicLong renewedAt = new AtomicLong();
            agent.onChange(credential -> renewedAt.set(System.nanoTime()));
            agent.renewOnce();
            long heapBefore = usedHeap();

            long[] signet = new long[ROUNDS];
            long[] pushes = new long[ROUNDS];
            long heapSignet;
            X509SVIDResponse sample;
            try (WorkloadApiServer server =
                            WorkloadApiServer.start(dir.resolve("agent.sock"), agent, Clock.systemUTC());
                    Watchers watchers = new Watchers(server.socket(), clients)) {
                watchers.awaitFirst();
                heapSignet = usedHeap() - heapBefore;
                for (int warm = 0; warm < 10; warm++) {
                    watchers.round(() -> renew(agent, renewedAt));
                }
                long gcBefore = gcMillis();
                for (int r = 0; r < ROUNDS; r++) {
                    signet[r] = watchers.round(() -> renew(agent, renewedAt));
                }
                out.printf("GC during the renewal rounds: %d ms%n", gcMillis() - gcBefore);
                for (int r = 0; r < ROUNDS; r++) {
                    pushes[r] = watchers.round(() -> push(agent, renewedAt));
                }
                sample = watchers.sample.get();
            }

            long[] floor = new long[ROUNDS];
            long heapFloor;
            long floorBefore = usedHeap();
            Floor bare = new Floor();
            bare.message = sample;
            EpollEventLoopGroup serverLoop = new EpollEventLoopGroup(1);
            Path floorSocket = dir.resolve("floor.sock");
            Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(floorSocket.toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(serverLoop)
                    .workerEventLoopGroup(serverLoop)
                    .addService(bare)
                    .build()
                    .start();
            try (Watchers watchers = new Watchers(floorSocket, clients)) {
                watchers.awaitFirst();
                heapFloor = usedHeap() - floorBefore;
                for (int warm = 0; warm < 10; warm++) {
                    watchers.round(bare::publish);
                }
                for (int r = 0; r < ROUNDS; r++) {
                    floor[r] = watchers.round(bare::publish);
                }
            } finally {
                server.shutdownNow();
                serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }

            double signetP99 = percentile(signet, 0.99);
            double floorP99 = percentile(floor, 0.99);
            out.printf(
                    "signet agent, %d watchers: renewal to last watcher p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                            + "(%d renewals)%n",
                    WATCHERS, percentile(signet, 0.5), signetP99, percentile(signet, 1.0), ROUNDS);
            out.printf(
                    "signet agent, %d watchers: bundle push (no CA call) to last watcher p50 %.1f ms, p99 %.1f ms%n",
                    WATCHERS, percentile(pushes, 0.5), percentile(pushes, 0.99));
            out.printf(
                    "bare gRPC fan-out, same socket kind and message: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    percentile(floor, 0.5), floorP99, percentile(floor, 1.0));
            out.printf(
                    "heap per watcher (client and server ends, one JVM): %.1f KiB with Signet, %.1f KiB bare gRPC%n",
                    heapSignet / 1024.0 / WATCHERS, heapFloor / 1024.0 / WATCHERS);
            out.printf(
                    "goal: p99 at most %d ms: %s%n", GOAL.toMillis(), signetP99 <= GOAL.toMillis() ? "met" : "NOT met");
            return floorP99 / signetP99;
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static long renew(Agent agent, AtomicLong renewedAt) {
        try {
            agent.renewOnce();
        } catch (Exception e) {
            throw new IllegalStateException("renewal failed", e);
        }
        return renewedAt.get();
    }

    /** A new bundle version with the same roots: what the control plane's push in a rotation does to the agent. */
    private static long push(Agent agent, AtomicLong changedAt) {
        try {
            var held = agent.current().orElseThrow();
            agent.acceptBundle(held.roots(), held.jwtKeys(), agent.bundleVersion() + 1);
        } catch (Exception e) {
            throw new IllegalStateException("bundle push failed", e);
        }
        return changedAt.get();
    }

    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The {@code q} quantile of {@code nanos}, in milliseconds. */
    private static double percentile(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
