package dev.signet.benchmarks.plane;

import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.benchmarks.cluster.LocalKubernetes;
import dev.signet.benchmarks.cluster.SignetServe;
import dev.signet.ca.authority.CaMaterial;
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
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

/**
 * {@code cluster-convergence}: the operator path end to end. A real API server holds 10,000 Pods and 10,001
 * AuthorizationPolicies (one per workload, and one over the namespace); the packaged {@code signet serve} runs on it
 * in cluster mode with a plug-in CA ({@code cacerts}); 10,000 simulated proxies, each on its own mTLS connection with
 * its own identity, subscribe. One update of the namespace's policy through the API server, as {@code kubectl apply}
 * sends it, until every proxy has ACKed the new version: p50, p99, max, the server's heap per connected proxy, and
 * the CPU of the server, the API server with etcd, and the simulated proxies. Ends with {@code ratio: p99 ÷ 1 s}.
 */
public final class ClusterConvergenceReport implements BenchmarkMain.Report {

    private static final int WORKLOADS = 10_000;
    private static final String POLICIES = "/apis/security.signet.dev/v1/namespaces/bench/authorizationpolicies";

    @Override
    public String description() {
        return "10,000 Pods and policies on a real API server, signet serve in cluster mode, 10,000 mTLS ADS clients; "
                + "one policy update through the API server -> every proxy ACKed: p50/p99";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("signet-bench-cluster");
        List<ManagedChannel> channels = new ArrayList<>();
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        try (LocalKubernetes kube = LocalKubernetes.start(Files.createDirectories(dir.resolve("kube")));
                XdsServerProcess.Running ca = XdsServerProcess.Running.start(dir.resolve("ca"), "512m")) {
            kube.kubectl(
                    "apply",
                    "-f",
                    Path.of(System.getProperty("signet.home"), "crds").toString());
            kube.create("/api/v1/namespaces", namespace("signet-system"));
            kube.create("/api/v1/namespaces", namespace("bench"));
            // The CA the simulated proxies' certificates come from is the cluster's, plugged in as Istio's is.
            kube.create(
                    "/api/v1/namespaces/signet-system/secrets",
                    plugInCa(dir.resolve("ca").resolve("ca")));

            long loading = System.nanoTime();
            kube.createAll("/api/v1/namespaces/bench/pods", pods(), 64);
            List<String> policies = policies();
            kube.createAll(POLICIES, policies, 64);
            out.printf(
                    "%,d Pods and %,d AuthorizationPolicies stored through the API server in %.1f s%n",
                    WORKLOADS, policies.size(), (System.nanoTime() - loading) / 1e9);

            long starting = System.nanoTime();
            try (SignetServe serve =
                    SignetServe.start(Files.createDirectories(dir.resolve("serve")), "2g", inCluster(kube))) {
                out.printf(
                        "signet serve ready (informers listed, mesh built) in %.1f s%n",
                        (System.nanoTime() - starting) / 1e9);
                double reconciled = awaitSettled(serve, policies.size());
                out.printf(
                        "the operator settled (%,.0f reconciliations, every policy's status written) %.1f s after start%n",
                        reconciled, (System.nanoTime() - starting) / 1e9);
                long emptyHeap = serve.heapAfterGc();

                X509Certificate[] roots = Pem.certificates(
                                new String(Base64.getDecoder().decode(ca.ask("roots")), StandardCharsets.US_ASCII))
                        .toArray(new X509Certificate[0]);
                ManagedChannel[] made = new ManagedChannel[WORKLOADS];
                IntStream.range(0, WORKLOADS)
                        .parallel()
                        .forEach(i -> made[i] = SimulatedProxy.channel(ca, serve.grpcPort(), roots, i));
                channels.addAll(List.of(made));
                long connecting = System.nanoTime();
                List<SimulatedProxy> proxies = new ArrayList<>();
                for (int i = 0; i < WORKLOADS; i++) {
                    proxies.add(new SimulatedProxy(made[i], "signet~bench~w" + i, retries));
                }
                SimulatedProxy.awaitAll(proxies, new String[proxies.size()], Duration.ofSeconds(300));
                out.printf(
                        "%,d proxies connected and ACKed in %.1f s, %,d streams opened again after an error (latest: %s)%n",
                        WORKLOADS,
                        (System.nanoTime() - connecting) / 1e9,
                        proxies.stream().mapToInt(p -> p.retries.get()).sum(),
                        SimulatedProxy.errors(proxies));
                long heapPerProxy = (serve.heapAfterGc() - emptyHeap) / WORKLOADS;

                Duration serverCpu = serve.cpu();
                Duration kubeCpu = kube.cpu();
                Duration ownCpu = XdsConvergenceReport.ownCpu();
                String[] before = SimulatedProxy.versions(proxies);
                long changed = System.nanoTime();
                kube.mergePatch(POLICIES + "/allow", allowPatch("sim2"));
                SimulatedProxy.awaitAll(proxies, before, Duration.ofSeconds(120));
                double wall = (System.nanoTime() - changed) / 1e9;
                SimulatedProxy.checkAllCarry(proxies, "sa/sim2");
                long[] times = SimulatedProxy.sortedAckTimes(proxies, changed);
                double p99 = times[(int) (times.length * 0.99)] / 1e6;
                out.printf(
                        "%,d proxies: one AuthorizationPolicy update through the API server -> ACKed by all: p50 %.0f ms,"
                                + " p99 %.0f ms, max %.0f ms (includes the 100 ms debounce); server heap %.1f KB per "
                                + "connected proxy; CPU while converging: signet serve %.2f cores, API server and etcd "
                                + "%.2f, simulated proxies %.2f (of 2)%n",
                        WORKLOADS,
                        times[times.length / 2] / 1e6,
                        p99,
                        times[times.length - 1] / 1e6,
                        heapPerProxy / 1024.0,
                        seconds(serve.cpu().minus(serverCpu)) / wall,
                        seconds(kube.cpu().minus(kubeCpu)) / wall,
                        seconds(XdsConvergenceReport.ownCpu().minus(ownCpu)) / wall);
                oneWorkload(serve, kube, proxies, out);
                if (serve.metric("signet_xds_nacks_total") != 0) {
                    throw new IllegalStateException("simulated proxies never NACK; the server counted some");
                }
                proxies.forEach(SimulatedProxy::close);
                return p99 / 1000.0;
            }
        } finally {
            retries.shutdownNow();
            channels.forEach(ManagedChannel::shutdownNow);
            dev.signet.ca.store.Directories.delete(dir);
        }
    }

    /**
     * The common change: one workload's own policy. Only its proxy has anything new; the figure is how soon it has
     * it, and what the push costs the server with 9,999 other proxies connected.
     */
    private static void oneWorkload(
            SignetServe serve, LocalKubernetes kube, List<SimulatedProxy> proxies, PrintStream out) throws Exception {
        Thread.sleep(2000); // the status write after the last change, and its rebuild, are behind us
        List<SimulatedProxy> first = proxies.subList(0, 1);
        String[] before = SimulatedProxy.versions(proxies);
        Duration serverCpu = serve.cpu();
        long changed = System.nanoTime();
        kube.mergePatch(POLICIES + "/p0", "{\"spec\":{" + rules("one") + "}}");
        SimulatedProxy.awaitAll(first, before, Duration.ofSeconds(60));
        double acked = (System.nanoTime() - changed) / 1e6;
        SimulatedProxy.checkAllCarry(first, "sa/one");
        Thread.sleep(1000); // the rest of the push, and the status write's rebuild
        long others = IntStream.range(1, proxies.size())
                .filter(i -> !Objects.equals(proxies.get(i).latestVersion, before[i]))
                .count();
        out.printf(
                "one workload's policy updated: its proxy ACKed in %.0f ms; %d other proxies sent anything; server CPU"
                        + " for the change, its status write and the pushes: %.0f ms%n",
                acked, others, seconds(serve.cpu().minus(serverCpu)) * 1000);
    }

    /**
     * Waits until the operator has reconciled at least {@code policies} objects and nothing more for 3 s: the status
     * writes after a start are behind it, so that the change is measured on a control plane at rest, as in a mesh.
     */
    private static double awaitSettled(SignetServe serve, int policies) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        double last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            double now = serve.metric("signet_reconciles_total");
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (now >= policies
                    && System.nanoTime() - quietSince > Duration.ofSeconds(3).toNanos()) {
                return now;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(
                "the operator had reconciled " + last + " of " + policies + " policies in 3 min");
    }

    /** The options of {@code signet serve} as the operator of {@code kube}, on its admin's kubeconfig. */
    static String[] inCluster(LocalKubernetes kube) throws java.io.IOException {
        return new String[] {"--kubeconfig", kube.kubeconfig().toString(), "--namespace", "signet-system"};
    }

    static String namespace(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    /** Secret {@code cacerts} with the plug-in files of the CA in {@code caFolder}. */
    private static String plugInCa(Path caFolder) throws Exception {
        StringJoiner data = new StringJoiner(",");
        for (String name : CaMaterial.NAMES) {
            Path file = caFolder.resolve(name);
            if (Files.exists(file)) {
                data.add("\"" + name + "\":\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(file)) + "\"");
            }
        }
        return "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"cacerts\"},\"type\":\"Opaque\","
                + "\"data\":{" + data + "}}";
    }

    /** Pod {@code w<i>}: label {@code app: w<i>}, service account {@code w<i>}, one gRPC port. */
    private static List<String> pods() {
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < WORKLOADS; i++) {
            pods.add(
                    ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"w%d\",\"labels\":{\"app\":\"w%d\"}},"
                                    + "\"spec\":{\"serviceAccountName\":\"w%d\",\"containers\":[{\"name\":\"app\","
                                    + "\"image\":\"registry.invalid/bench:1\",\"ports\":[{\"containerPort\":8080,\"name\":\"grpc\"}]}]}}")
                            .formatted(i, i, i));
        }
        return pods;
    }

    /** Policy {@code p<i>} lets workload {@code w<i+1>} call {@code w<i>}; {@code allow} lets {@code sim} call all. */
    private static List<String> policies() {
        List<String> policies = new ArrayList<>();
        for (int i = 0; i < WORKLOADS; i++) {
            policies.add(policy(
                    "p" + i, "\"selector\":{\"matchLabels\":{\"app\":\"w" + i + "\"}},", "w" + (i + 1) % WORKLOADS));
        }
        policies.add(policy("allow", "", "sim"));
        return policies;
    }

    private static String policy(String name, String selector, String account) {
        return "{\"apiVersion\":\"security.signet.dev/v1\",\"kind\":\"AuthorizationPolicy\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{" + selector + rules(account) + "}}";
    }

    private static String allowPatch(String account) {
        return "{\"spec\":{" + rules(account) + "}}";
    }

    private static String rules(String account) {
        return "\"rules\":[{\"from\":[{\"source\":{\"principals\":[\"cluster.local/ns/bench/sa/" + account + "\"]}}]}]";
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
