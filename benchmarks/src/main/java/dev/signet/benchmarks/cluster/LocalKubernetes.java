package dev.signet.benchmarks.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes API server (etcd and kube-apiserver, as {@code tools/kube/install} builds them) on loopback, and
 * an admin's HTTP/2 client of it. No kubelet: Pods are stored, never run, which is all an operator sees of them.
 * The ServiceAccount admission plugin is off, so that a Pod may name a service account without one being created for
 * each of thousands of them; nothing the control plane reads depends on it.
 */
public final class LocalKubernetes implements AutoCloseable {

    static final String VERSION = "1.34.3";
    private static final String ADMIN_TOKEN = "signet-benchmark-admin";
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private final Path dir;
    private final Path binaries;
    private final List<Process> processes = new ArrayList<>();
    private final String server;
    private final HttpClient http;

    private LocalKubernetes(Path dir, Path binaries) throws Exception {
        this.dir = dir;
        this.binaries = binaries;
        this.server = startProcesses();
        try {
            this.http = awaitReady();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Starts both processes in {@code dir} and waits until the API server answers {@code /readyz}. */
    public static LocalKubernetes start(Path dir) throws Exception {
        Path binaries = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", VERSION + "-linux-amd64");
        if (!Files.isExecutable(binaries.resolve("kube-apiserver")) || !Files.isExecutable(binaries.resolve("etcd"))) {
            throw new IllegalStateException(
                    "no kube-apiserver and etcd in " + binaries + ": run tools/kube/install (benchmarks/run does)");
        }
        return new LocalKubernetes(dir, binaries);
    }

    private String startProcesses() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair serviceAccounts = generator.generateKeyPair();
        Path key = Files.writeString(
                dir.resolve("sa.key"),
                pem("PRIVATE KEY", serviceAccounts.getPrivate().getEncoded()));
        Path publicKey = Files.writeString(
                dir.resolve("sa.pub"),
                pem("PUBLIC KEY", serviceAccounts.getPublic().getEncoded()));
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), ADMIN_TOKEN + ",admin,admin,\"system:masters\"\n");
        int etcd = freePort();
        int peer = freePort();
        int port = freePort();
        processes.add(process(
                "etcd.log",
                binaries.resolve("etcd").toString(),
                "--data-dir",
                dir.resolve("etcd").toString(),
                "--listen-client-urls",
                "http://127.0.0.1:" + etcd,
                "--advertise-client-urls",
                "http://127.0.0.1:" + etcd,
                "--listen-peer-urls",
                "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + peer,
                "--initial-cluster",
                "default=http://127.0.0.1:" + peer));
        processes.add(process(
                "apiserver.log",
                binaries.resolve("kube-apiserver").toString(),
                "--etcd-servers",
                "http://127.0.0.1:" + etcd,
                "--bind-address",
                "127.0.0.1",
                "--secure-port",
                String.valueOf(port),
                "--cert-dir",
                dir.resolve("certs").toString(),
                "--service-account-issuer",
                "https://kubernetes.default.svc",
                "--service-account-key-file",
                publicKey.toString(),
                "--service-account-signing-key-file",
                key.toString(),
                "--authorization-mode",
                "RBAC",
                "--service-cluster-ip-range",
                "10.96.0.0/24",
                "--token-auth-file",
                tokens.toString(),
                "--disable-admission-plugins",
                "ServiceAccount"));
        return "https://127.0.0.1:" + port;
    }

    private Process process(String log, String... command) throws IOException {
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    /** The API server's client, once its self-signed certificate exists and {@code /readyz} answers ok. */
    private HttpClient awaitReady() throws Exception {
        Path certificate = dir.resolve("certs").resolve("apiserver.crt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!processes.stream().allMatch(Process::isAlive)) {
                throw new IllegalStateException("etcd or kube-apiserver exited; see " + dir + "/*.log");
            }
            if (Files.isRegularFile(certificate)) {
                try {
                    HttpClient client = client(certificate);
                    HttpResponse<String> ready =
                            client.send(request("/readyz").build(), HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 200) {
                        return client;
                    }
                } catch (IOException e) {
                    last = e;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "the API server was not ready within 60 s; see " + dir + "/apiserver.log", last);
    }

    /** A client that trusts exactly the API server's own certificate. */
    private static HttpClient client(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry(
                    "apiserver", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(60));
    }

    /** POSTs {@code json} to {@code path}; anything but 201 fails. */
    public void create(String path, String json) throws IOException, InterruptedException {
        check(http.send(post(path, json), HttpResponse.BodyHandlers.ofString()), 201, path);
    }

    /**
     * POSTs every one of {@code objects} to {@code path}, {@code inFlight} at a time (the API server's own limit is
     * 400): a bulk load in seconds rather than the minutes of one request after another.
     */
    public void createAll(String path, List<String> objects, int inFlight) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        AtomicReference<String> failure = new AtomicReference<>();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (String json : objects) {
            slots.acquire();
            sent.add(http.sendAsync(post(path, json), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        slots.release();
                        if (error != null) {
                            failure.compareAndSet(null, error.toString());
                        } else if (response.statusCode() != 201) {
                            failure.compareAndSet(null, response.statusCode() + " " + response.body());
                        }
                    }));
            if (failure.get() != null) {
                break;
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .join();
        if (failure.get() != null) {
            throw new IllegalStateException("creating objects at " + path + " failed: " + failure.get());
        }
    }

    /** A token of service account {@code namespace/name} for {@code audience}, valid an hour (TokenRequest). */
    public String token(String namespace, String name, String audience) throws IOException, InterruptedException {
        String path = "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name + "/token";
        HttpResponse<String> response = http.send(
                post(
                        path,
                        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{"
                                + "\"audiences\":[\"" + audience + "\"],\"expirationSeconds\":3600}}"),
                HttpResponse.BodyHandlers.ofString());
        check(response, 201, path);
        Matcher token = TOKEN.matcher(response.body());
        if (!token.find()) {
            throw new IllegalStateException(path + " answered no token");
        }
        return token.group(1);
    }

    /** A JSON merge patch of the object at {@code path}, as {@code kubectl patch --type merge} sends it. */
    public void mergePatch(String path, String json) throws IOException, InterruptedException {
        HttpRequest patch = request(path)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .build();
        check(http.send(patch, HttpResponse.BodyHandlers.ofString()), 200, path);
    }

    private HttpRequest post(String path, String json) {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static void check(HttpResponse<String> response, int expected, String path) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Runs this server's {@code kubectl} with an admin kubeconfig; its output, or a failure with it. */
    public String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                binaries.resolve("kubectl").toString(),
                "--kubeconfig",
                kubeconfig().toString()));
        command.addAll(List.of(args));
        Process kubectl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kubectl.waitFor() != 0) {
            throw new IllegalStateException("kubectl " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    /** An admin's kubeconfig, which trusts the API server's own certificate. */
    public Path kubeconfig() throws IOException {
        Path file = dir.resolve("admin.kubeconfig");
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: bench
                      cluster: {server: "%s", certificate-authority: "%s"}
                    users:
                    - name: admin
                      user: {token: "%s"}
                    contexts:
                    - name: bench
                      context: {cluster: bench, user: admin}
                    current-context: bench
                    """.formatted(server, dir.resolve("certs").resolve("apiserver.crt"), ADMIN_TOKEN));
        }
        return file;
    }

    /** etcd's and the API server's CPU time so far. */
    public Duration cpu() {
        return processes.stream()
                .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
