package dev.signet.benchmarks.plane;

import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.ca.crypto.Pem;
import io.grpc.ManagedChannel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code xds-convergence}: N simulated proxies (real ADS streams that ACK every response), each on its own mTLS
 * connection with its own identity ({@code spiffe://cluster.local/ns/bench/sa/w<i>}, its own key), as a mesh's
 * sidecars are, each subscribed to its workload's inbound listener; one policy change that affects all of them; time
 * from the change until each has ACKed the new version (p50, p99, max), for N = 1,000 and 10,000. The server runs
 * in a process of its own ({@link XdsServerProcess}), so that its heap per connected proxy and its CPU share are its
 * own. Ends with {@code ratio: p99 at 10,000 ÷ 1 s}.
 */
public final class XdsConvergenceReport implements BenchmarkMain.Report {

    @Override
    public String description() {
        return "1,000 and 10,000 ADS clients, each its own mTLS connection and identity; one policy change -> every "
                + "proxy ACKed: p50/p99; heap per proxy";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        measure(1000, out);
        return measure(10_000, out) / 1000.0;
    }

    /** Returns the p99 convergence time in milliseconds. */
    private double measure(int proxies, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("signet-bench-xds");
        List<ManagedChannel> channels = new ArrayList<>();
        java.util.concurrent.ScheduledExecutorService retries =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (XdsServerProcess.Running server = XdsServerProcess.Running.start(dir.resolve("state"), "2g")) {
            server.ask("prepare " + proxies + " sim");
            server.ask("install");
            long emptyHeap = Long.parseLong(server.ask("heap"));
            long minting = System.nanoTime();
            X509Certificate[] roots = Pem.certificates(
                            new String(Base64.getDecoder().decode(server.ask("roots")), StandardCharsets.US_ASCII))
                    .toArray(new X509Certificate[0]);
            ManagedChannel[] made = new ManagedChannel[proxies];
            // Both cores: a key, a CSR and a TLS context for each proxy is most of the set-up.
            java.util.stream.IntStream.range(0, proxies)
                    .parallel()
                    .forEach(i -> made[i] = SimulatedProxy.channel(server, roots, i));
            channels.addAll(List.of(made));
            out.printf(
                    "%,d identities (key, CSR, certificate, TLS context) made in %.1f s%n",
                    proxies, (System.nanoTime() - minting) / 1e9);

            long connecting = System.nanoTime();
            List<SimulatedProxy> simulated = new ArrayList<>();
            for (int i = 0; i < proxies; i++) {
                simulated.add(new SimulatedProxy(channels.get(i), "signet~bench~w" + i, retries));
            }
            SimulatedProxy.awaitAll(simulated, new String[simulated.size()], Duration.ofSeconds(300));
            out.printf(
                    "%,d connections at once (TLS handshake, ADS stream, first ACK) in %.1f s, %,d streams opened"
                            + " again after an error (latest: %s)%n",
                    proxies,
                    (System.nanoTime() - connecting) / 1e9,
                    simulated.stream().mapToInt(p -> p.retries.get()).sum(),
                    SimulatedProxy.errors(simulated));
            long serverHeap = Long.parseLong(server.ask("heap")) - emptyHeap;

            // The change is parsed and validated first (what an informer's event has done before it arrives):
            // the clock runs from the moment the xDS server is handed it.
            server.ask("prepare " + proxies + " sim2");
            Duration serverCpu = server.cpu();
            Duration ownCpu = ownCpu();
            String[] before = SimulatedProxy.versions(simulated);
            long changed = System.nanoTime();
            server.ask("install");
            SimulatedProxy.awaitAll(simulated, before, Duration.ofSeconds(120));
            double wall = (System.nanoTime() - changed) / 1e9;
            SimulatedProxy.checkAllCarry(simulated, "sa/sim2");
            double serverShare = (server.cpu().minus(serverCpu).toNanos() / 1e9) / wall;
            double proxiesShare = (ownCpu().minus(ownCpu).toNanos() / 1e9) / wall;
            long[] times = SimulatedProxy.sortedAckTimes(simulated, changed);
            double p50 = times[times.length / 2] / 1e6;
            double p99 = times[(int) (times.length * 0.99)] / 1e6;
            out.printf(
                    "%,d proxies: one policy change -> ACKed by all: p50 %.0f ms, p99 %.0f ms, max %.0f ms "
                            + "(includes the %d ms debounce); server heap %.1f KB per connected proxy; CPU while "
                            + "converging: server %.2f cores, simulated proxies %.2f cores (of 2)%n",
                    proxies,
                    p50,
                    p99,
                    times[times.length - 1] / 1e6,
                    100,
                    serverHeap / 1024.0 / proxies,
                    serverShare,
                    proxiesShare);
            if (!server.ask("nacks").equals("0")) {
                throw new IllegalStateException("simulated proxies never NACK; the server counted some");
            }
            simulated.forEach(SimulatedProxy::close);
            return p99;
        } finally {
            retries.shutdownNow();
            channels.forEach(ManagedChannel::shutdownNow);
            dev.signet.ca.store.Directories.delete(dir);
        }
    }

    /** This process's CPU time so far: the simulated proxies' share. */
    static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
