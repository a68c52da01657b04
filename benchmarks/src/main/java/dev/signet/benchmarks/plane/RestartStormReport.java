package dev.signet.benchmarks.plane;

import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.ca.crypto.Pem;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;

/**
 * {@code restart-storm}: a standalone control plane ({@code signet serve}'s, its mesh read from a folder of 10,000
 * workloads and a policy) with 10,000 simulated proxies connected, each on its own mTLS connection and identity, and
 * 2,000 simulated agents watching the trust bundle; then the control plane is killed (no drain) and started again
 * over the same state. Measured: from the kill until every proxy has ACKed on a new stream and every agent's bundle
 * watch has its first update again, with the proxies and agents backing off as gRPC and Signet's agent do; and the
 * certificates the new process issued meanwhile (none are due: a restart must not cause a CSR storm). Agents are
 * fewer than proxies because both ends' descriptors must fit this machine's limit of 20,000 per process. Ends with
 * {@code ratio: recovery ÷ 10 s}.
 */
public final class RestartStormReport implements BenchmarkMain.Report {

    private static final int PROXIES = 10_000;
    private static final int AGENTS = 2_000;
    private static final Duration GOAL = Duration.ofSeconds(10);

    @Override
    public String description() {
        return "10,000 proxies and 2,000 agents connected; the control plane killed and started again: time until"
                + " every one is back";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("signet-bench-restart");
        Path folder = Files.createDirectories(dir.resolve("mesh"));
        Files.writeString(folder.resolve("mesh.yaml"), XdsServerProcess.yaml(PROXIES, "sim"));
        Path state = dir.resolve("state");
        int port = freePort();
        List<ManagedChannel> channels = new ArrayList<>();
        List<SimulatedProxy> proxies = new ArrayList<>();
        List<SimulatedAgent> agents = new ArrayList<>();
        ScheduledExecutorService retries = Executors.newScheduledThreadPool(2);
        XdsServerProcess.Running server = XdsServerProcess.Running.serving(state, port, folder, "2g");
        try {
            X509Certificate[] roots = Pem.certificates(
                            new String(Base64.getDecoder().decode(server.ask("roots")), StandardCharsets.US_ASCII))
                    .toArray(new X509Certificate[0]);
            long started = System.nanoTime();
            ManagedChannel[] made = new ManagedChannel[PROXIES];
            XdsServerProcess.Running first = server;
            IntStream.range(0, PROXIES).parallel().forEach(i -> made[i] = SimulatedProxy.channel(first, roots, i));
            channels.addAll(List.of(made));
            for (int i = 0; i < PROXIES; i++) {
                proxies.add(new SimulatedProxy(made[i], "signet~bench~w" + i, retries));
            }
            awaitAll(proxies.size(), i -> proxies.get(i).lastAckAt, 0, Duration.ofMinutes(4));
            out.printf("%,d proxies connected in %.1f s%n", PROXIES, (System.nanoTime() - started) / 1e9);
            AtomicLong failed = new AtomicLong();
            for (int i = 0; i < AGENTS; i++) {
                ManagedChannel channel = NettyChannelBuilder.forTarget("localhost:" + port)
                        .sslContext(GrpcSslContexts.forClient()
                                .trustManager(SimulatedProxy.nativeChecks(roots))
                                .build())
                        .build();
                channels.add(channel);
                SimulatedAgent agent = new SimulatedAgent(channel, server.ask("token " + i), retries, failed);
                agent.start(1);
                agents.add(agent);
            }
            awaitAll(agents.size(), i -> agents.get(i).attachedAt(), 0, Duration.ofMinutes(2));
            out.printf(
                    "%,d proxies (own key, certificate, mTLS connection) and %,d agents connected in %.1f s%n",
                    PROXIES, AGENTS, (System.nanoTime() - started) / 1e9);
            int retriesBefore = proxies.stream().mapToInt(p -> p.retries.get()).sum();

            Duration ownBefore = ownCpu();
            long killed = System.nanoTime();
            server.kill();
            java.util.concurrent.CompletableFuture<Long> listening =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> firstAccepted(port));
            server = XdsServerProcess.Running.serving(state, port, folder, "2g");
            double up = (System.nanoTime() - killed) / 1e9;
            double open = (listening.get() - killed) / 1e9;
            long[] proxiesBack = awaitAll(proxies.size(), i -> proxies.get(i).lastAckAt, killed, Duration.ofMinutes(4));
            long[] agentsBack = awaitAll(agents.size(), i -> agents.get(i).attachedAt(), killed, Duration.ofMinutes(2));
            long last = Math.max(proxiesBack[proxiesBack.length - 1], agentsBack[agentsBack.length - 1]);
            double recovery = (last - killed) / 1e9;
            // The new process's whole life: its start, the folder read and every handshake taken meanwhile.
            double serverCpu = server.cpu().toNanos() / 1e9;
            double clientsCpu = ownCpu().minus(ownBefore).toNanos() / 1e9;
            long issued = Long.parseLong(server.ask("issued"));
            out.printf(
                    "killed and started again: its port open after %.1f s, its mesh read (10,000 workloads) after %.1f s;"
                            + " every proxy re-ACKed and every agent re-attached %.1f s after the kill%n",
                    open, up, recovery);
            out.printf(
                    "  proxies back: p50 %.1f s, p99 %.1f s; agents back: p50 %.1f s, p99 %.1f s; %,d streams opened"
                            + " again after errors (each proxy's latest: %s)%n",
                    seconds(proxiesBack, 0.5, killed),
                    seconds(proxiesBack, 0.99, killed),
                    seconds(agentsBack, 0.5, killed),
                    seconds(agentsBack, 0.99, killed),
                    proxies.stream().mapToInt(p -> p.retries.get()).sum() - retriesBefore,
                    SimulatedProxy.errors(proxies));
            out.printf(
                    "  server CPU from its start to the last one back: %.1f core-seconds (start and folder read"
                            + " included: %.2f ms per connection); the simulated proxies and agents from the kill:"
                            + " %.1f core-seconds; certificates issued by the"
                            + " new process: %d; renewals failed: %d%n",
                    serverCpu, serverCpu * 1000 / (PROXIES + AGENTS), clientsCpu, issued, failed.get());
            if (!server.ask("nacks").equals("0")) {
                throw new IllegalStateException("simulated proxies never NACK; the server counted some");
            }
            return recovery / GOAL.toSeconds();
        } finally {
            proxies.forEach(SimulatedProxy::close);
            agents.forEach(SimulatedAgent::close);
            retries.shutdownNow();
            channels.forEach(ManagedChannel::shutdownNow);
            server.close();
            dev.signet.ca.store.Directories.delete(dir);
        }
    }

    /** This process's CPU time so far: the simulated proxies' and agents' share. */
    private static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** When (System.nanoTime) a connection to the port was first accepted, trying every 10 ms. */
    private static long firstAccepted(int port) {
        while (true) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return System.nanoTime();
            } catch (IOException e) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return System.nanoTime();
                }
            }
        }
    }

    /** A port free now, so that the control plane can be started on it twice. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until each of {@code count} times (System.nanoTime, by index) is after {@code after}; returns them sorted. */
    private static long[] awaitAll(int count, IntToLongFunction times, long after, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long[] all = new long[count];
            boolean every = true;
            for (int i = 0; i < count && every; i++) {
                all[i] = times.applyAsLong(i);
                every = all[i] > after;
            }
            if (every) {
                Arrays.sort(all);
                return all;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every one was back within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private static double seconds(long[] sorted, double quantile, long from) {
        return (sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] - from) / 1e9;
    }
}
