package dev.signet.e2e;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver (RBAC on, service-account tokens signed by a key
 * made here) as local processes, from the binaries {@code tools/kube/install} builds. There is no kubelet: Pods can be
 * created but never run, which is all the operator's tests need.
 */
final class KubeApiServer implements AutoCloseable {

    static final String VERSION = "1.34.3";
    private static final String ADMIN_TOKEN = "signet-test-admin";

    private final Path binaries;
    private final List<Process> processes = new ArrayList<>();
    private int port;
    private java.security.PrivateKey serviceAccountSigningKey;

    private KubeApiServer(Path binaries) {
        this.binaries = binaries;
    }

    static KubeApiServer start(Path dir) throws Exception {
        String root = System.getenv().getOrDefault("KUBEAPITEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
        Path binaries = Path.of(root, "k8s", VERSION + "-linux-amd64");
        if (!Files.isExecutable(binaries.resolve("kube-apiserver"))) {
            throw new IllegalStateException("no kube-apiserver in " + binaries + ": run tools/kube/install (CI does)");
        }
        KubeApiServer server = new KubeApiServer(binaries);
        server.launch(dir);
        return server;
    }

    private void launch(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair serviceAccountKey = generator.generateKeyPair();
        serviceAccountSigningKey = serviceAccountKey.getPrivate();
        Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", serviceAccountKey.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", serviceAccountKey.getPublic().getEncoded()));
        Files.writeString(dir.resolve("tokens.csv"), ADMIN_TOKEN + ",admin,admin,system:masters\n");
        int etcdPort = SignetProcess.freePort();
        int peerPort = SignetProcess.freePort();
        port = SignetProcess.freePort();
        processes.add(process(dir, "etcd.log", binaries.resolve("etcd").toString(), "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + etcdPort, "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPort, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-cluster", "default=http://127.0.0.1:" + peerPort));
        processes.add(process(dir, "apiserver.log", binaries.resolve("kube-apiserver").toString(),
                "--etcd-servers", "http://127.0.0.1:" + etcdPort, "--bind-address", "127.0.0.1", "--secure-port", String.valueOf(port),
                "--cert-dir", dir.resolve("certs").toString(), "--service-account-issuer", "https://kubernetes.default.svc",
                "--service-account-key-file", dir.resolve("sa.pub").toString(),
                "--service-account-signing-key-file", dir.resolve("sa.key").toString(),
                "--authorization-mode", "RBAC", "--service-cluster-ip-range", "10.96.0.0/24",
                "--token-auth-file", dir.resolve("tokens.csv").toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Kubectl.Result ready = kubectl("get", "--raw", "/readyz");
            if (ready.exitCode() == 0 && ready.out().trim().equals("ok")) {
                return;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a Kubernetes process died; see " + dir.resolve("apiserver.log") + " and etcd.log");
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("kube-apiserver not ready within 60 s; see " + dir.resolve("apiserver.log"));
    }

    /** A client with cluster-admin rights. */
    KubernetesClient adminClient() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:" + port)
                .withOauthToken(ADMIN_TOKEN).withTrustCerts(true).build()).build();
    }

    String adminToken() {
        return ADMIN_TOKEN;
    }

    /** Runs the real kubectl (built with the server) as cluster-admin. */
    Kubectl.Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binaries.resolve("kubectl").toString(), "--server",
                "https://127.0.0.1:" + port, "--token", ADMIN_TOKEN, "--insecure-skip-tls-verify"));
        command.addAll(List.of(args));
        return Kubectl.run(command);
    }

    /**
     * A service-account token signed with this cluster's own key, exactly as the API server makes them but with the
     * expiry chosen by the test: how a test gets an expired token without waiting the API server's 10-minute minimum.
     */
    String signServiceAccountToken(String namespace, String account, String uid, String audience,
                                   java.time.Instant expiry) throws Exception {
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .issuer("https://kubernetes.default.svc").subject("system:serviceaccount:" + namespace + ":" + account)
                .audience(audience).expirationTime(java.util.Date.from(expiry))
                .issueTime(java.util.Date.from(expiry.minusSeconds(3600)))
                .notBeforeTime(java.util.Date.from(expiry.minusSeconds(3600)))
                .jwtID(java.util.UUID.randomUUID().toString())
                .claim("kubernetes.io", java.util.Map.of("namespace", namespace,
                        "serviceaccount", java.util.Map.of("name", account, "uid", uid)))
                .build();
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256), claims);
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(serviceAccountSigningKey));
        return jwt.serialize();
    }

    /** Runs the real helm (built beside kubectl) against this API server. */
    Kubectl.Result helm(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binaries.resolve("helm").toString(), "--kubeconfig",
                kubeconfig.toString()));
        command.addAll(List.of(args));
        return Kubectl.run(command);
    }

    /** A kubeconfig that authenticates with {@code token}: how the operator runs as its own service account. */
    Path kubeconfig(Path file, String token) throws IOException {
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
                users:
                - name: user
                  user: {token: "%s"}
                contexts:
                - name: test
                  context: {cluster: test, user: user}
                current-context: test
                """.formatted(port, token));
        return file;
    }

    private static Process process(Path dir, String log, String... command) throws IOException {
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + label + "-----\n";
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

    /** kubectl's exit code and output. */
    static final class Kubectl {
        record Result(int exitCode, String out) {
            /** This result, after asserting that the command succeeded (its output is the failure message). */
            Result ok() {
                org.assertj.core.api.Assertions.assertThat(exitCode).as(out).isZero();
                return this;
            }
        }

        static Result run(List<String> command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return new Result(process.exitValue(), out);
        }
    }
}
