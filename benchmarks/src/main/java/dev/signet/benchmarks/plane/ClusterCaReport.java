package dev.signet.benchmarks.plane;

import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.benchmarks.cluster.LocalKubernetes;
import dev.signet.benchmarks.cluster.SignetServe;
import dev.signet.ca.crypto.Pem;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * {@code cluster-ca}: CreateCertificate over TLS gRPC from 8 callers to the packaged {@code signet serve}, first
 * standalone (its own token issuer: the reference), then in cluster mode on a real API server, where every token is a
 * TokenReview until the review is cached: each caller renewing with its own service account's token (cached after its
 * first call), and 2,000 workloads arriving with a token each (every call a review). Ends with {@code ratio: cluster
 * rate with renewals ÷ standalone rate}.
 */
public final class ClusterCaReport implements BenchmarkMain.Report {

    private static final int CALLERS = 8;
    private static final int ARRIVALS = 2_000;
    private static final Duration WARM_UP = Duration.ofSeconds(4);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    /** Raw issuance is measured: one identity's share would cap it long before the CA does. */
    private static final String[] UNLIMITED = {
        "--issuance-rate-per-identity", "1000000", "--issuance-burst-per-identity", "1000000"
    };

    @Override
    public String description() {
        return "CreateCertificate to signet serve in cluster mode (TokenReview on a real API server, cached and not) "
                + "vs standalone: certs/s, p99";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("signet-bench-cluster-ca");
        List<String> csrs = BenchCsrs.many(64);
        try {
            CertificateCallers.Result standalone = standalone(dir.resolve("standalone"), csrs);
            print(out, "standalone (local tokens)", standalone);
            try (LocalKubernetes kube = LocalKubernetes.start(Files.createDirectories(dir.resolve("kube")))) {
                kube.kubectl(
                        "apply",
                        "-f",
                        Path.of(System.getProperty("signet.home"), "crds").toString());
                kube.create("/api/v1/namespaces", ClusterConvergenceReport.namespace("signet-system"));
                kube.create("/api/v1/namespaces", ClusterConvergenceReport.namespace("bench"));
                for (int i = 0; i < CALLERS; i++) {
                    kube.create(
                            "/api/v1/namespaces/bench/serviceaccounts",
                            "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"a" + i
                                    + "\"}}");
                }
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    tokens.add(kube.token("bench", "a" + i, "signet-ca"));
                }
                long requesting = System.nanoTime();
                Queue<String> arrivals = new ConcurrentLinkedQueue<>();
                for (int i = 0; i < ARRIVALS; i++) {
                    arrivals.add(kube.token("bench", "a" + i % CALLERS, "signet-ca"));
                }
                out.printf(
                        "%,d more tokens from TokenRequest in %.1f s%n",
                        ARRIVALS, (System.nanoTime() - requesting) / 1e9);

                String[] mode = Stream.concat(Stream.of(ClusterConvergenceReport.inCluster(kube)), Stream.of(UNLIMITED))
                        .toArray(String[]::new);
                try (SignetServe serve =
                                SignetServe.start(Files.createDirectories(dir.resolve("cluster")), "2g", mode);
                        CertificateCallers callers =
                                new CertificateCallers(serve.grpcPort(), clusterRoots(kube), CALLERS)) {
                    callers.run(tokens::get, csrs, WARM_UP);
                    CertificateCallers.Result renewals = callers.run(tokens::get, csrs, MEASURE);
                    print(out, "cluster, each caller renewing with its token (TokenReview cached)", renewals);
                    CertificateCallers.Result arriving = callers.run(caller -> arrivals.poll(), csrs, MEASURE);
                    print(out, "cluster, a new token every call (a TokenReview each)", arriving);
                    out.printf(
                            "cluster ÷ standalone: renewals %.2f, arrivals %.2f%n",
                            renewals.perSecond() / standalone.perSecond(),
                            arriving.perSecond() / standalone.perSecond());
                    return renewals.perSecond() / standalone.perSecond();
                }
            }
        } finally {
            dev.signet.ca.store.Directories.delete(dir);
        }
    }

    /** The reference: {@code signet serve --standalone} on an empty folder, each caller a token from signet token. */
    private static CertificateCallers.Result standalone(Path dir, List<String> csrs) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("policies"));
        String[] mode = Stream.concat(Stream.of("--standalone", folder.toString()), Stream.of(UNLIMITED))
                .toArray(String[]::new);
        try (SignetServe serve = SignetServe.start(dir, "2g", mode)) {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                tokens.add(serve.cli("token", "--namespace", "bench", "--service-account", "a" + i)
                        .strip());
            }
            List<X509Certificate> roots = Pem.certificates(
                    Files.readString(dir.resolve(".signet").resolve("ca").resolve("root-cert.pem")));
            try (CertificateCallers callers = new CertificateCallers(serve.grpcPort(), roots, CALLERS)) {
                callers.run(tokens::get, csrs, WARM_UP);
                return callers.run(tokens::get, csrs, MEASURE);
            }
        }
    }

    /** The cluster CA's roots, from the Secret the control plane created on its first start. */
    private static List<X509Certificate> clusterRoots(LocalKubernetes kube) throws Exception {
        String base64 = kube.kubectl(
                "get", "secret", "signet-ca", "-n", "signet-system", "-o", "jsonpath={.data.root-cert\\.pem}");
        return Pem.certificates(new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.US_ASCII));
    }

    private static void print(PrintStream out, String what, CertificateCallers.Result result) {
        out.printf(
                "%s: %.0f certs/s; latency p50 %.2f ms, p99 %.2f ms (%,d calls, %d callers)%n",
                what, result.perSecond(), result.p50Millis(), result.p99Millis(), result.latencies().length, CALLERS);
    }
}
