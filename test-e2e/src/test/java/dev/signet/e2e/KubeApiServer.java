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
 * A real Kubernetes API server for tests, with the real kubectl and helm that {@code tools/kube/install} builds. By
 * default etcd and kube-apiserver run as local processes ({@link LocalApiServer}); with
 * {@code -Dsignet.e2e.cluster=k3s} a K3s container started by Testcontainers serves instead ({@link K3sApiServer}),
 * for machines with a Docker engine. Either way RBAC is on, a static admin token exists and service-account tokens
 * are signed by a key made here, so a test can sign one with the cluster's own key. A local server has no kubelet,
 * and the tests' Pods carry a scheduling gate, so Pods exist but never run: all the operator's tests need.
 */
final class KubeApiServer implements AutoCloseable {

    static final String VERSION = "1.34.3";
    static final String ISSUER = "https://kubernetes.default.svc";
    private static final String ADMIN_TOKEN = "signet-test-admin";

    /** Where the API server runs; it is given the files a test cluster needs and answers with its URL. */
    interface Runtime extends AutoCloseable {
        /** Starts the server with these service-account keys and static tokens; returns its https URL. */
        String start(Path dir, Path serviceAccountKey, Path serviceAccountPublicKey, Path tokens) throws Exception;

        /** Whether everything it started is still running: a dead server fails the start at once, not after 90 s. */
        boolean running();

        /** The server's own log, for failure messages. */
        String logHint();

        @Override
        void close() throws InterruptedException;
    }

    private final Path binaries;
    private final Runtime runtime;
    private String server;
    private java.security.PrivateKey serviceAccountSigningKey;

    private KubeApiServer(Path binaries, Runtime runtime) {
        this.binaries = binaries;
        this.runtime = runtime;
    }

    /** {@code local} (the default) or {@code k3s}, from {@code -Dsignet.e2e.cluster}. */
    static String flavour() {
        return System.getProperty("signet.e2e.cluster", "local");
    }

    static KubeApiServer start(Path dir) throws Exception {
        return start(dir, List.of());
    }

    /** Where tools/kube/install puts the binaries. */
    static Path binaries() {
        String root =
                System.getenv().getOrDefault("KUBEAPITEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
        return Path.of(root, "k8s", VERSION + "-linux-amd64");
    }

    /**
     * With {@code nodeArgs}, the local API server also listens beyond loopback (with these arguments, e.g. the
     * address Pods reach it at), for {@link RealNode}.
     */
    static KubeApiServer start(Path dir, List<String> nodeArgs) throws Exception {
        Path binaries = binaries();
        if (!Files.isExecutable(binaries.resolve("kubectl"))) {
            throw new IllegalStateException("no kubectl in " + binaries + ": run tools/kube/install (CI does)");
        }
        Runtime runtime = switch (flavour()) {
            case "local" -> new LocalApiServer(binaries, nodeArgs);
            case "k3s" -> K3sApiServer.create();
            default -> throw new IllegalArgumentException("signet.e2e.cluster must be local or k3s, not " + flavour());
        };
        KubeApiServer server = new KubeApiServer(binaries, runtime);
        try {
            server.launch(dir);
        } catch (Exception | AssertionError e) {
            runtime.close();
            throw e;
        }
        return server;
    }

    private void launch(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair serviceAccountKey = generator.generateKeyPair();
        serviceAccountSigningKey = serviceAccountKey.getPrivate();
        Files.writeString(
                dir.resolve("sa.key"),
                pem("PRIVATE KEY", serviceAccountKey.getPrivate().getEncoded()));
        Files.writeString(
                dir.resolve("sa.pub"),
                pem("PUBLIC KEY", serviceAccountKey.getPublic().getEncoded()));
        Files.writeString(dir.resolve("tokens.csv"), ADMIN_TOKEN + ",admin,admin,system:masters\n");
        server = runtime.start(dir, dir.resolve("sa.key"), dir.resolve("sa.pub"), dir.resolve("tokens.csv"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Kubectl.Result ready = kubectl("get", "--raw", "/readyz");
            if (ready.exitCode() == 0 && ready.out().trim().equals("ok")) {
                return;
            }
            if (!runtime.running()) {
                throw new IllegalStateException("the API server stopped while starting; see " + runtime.logHint());
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the API server was not ready within 90 s; see " + runtime.logHint());
    }

    /** A client with cluster-admin rights. */
    KubernetesClient adminClient() {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(server)
                        .withOauthToken(ADMIN_TOKEN)
                        .withTrustCerts(true)
                        .build())
                .build();
    }

    String adminToken() {
        return ADMIN_TOKEN;
    }

    /** Runs the real kubectl (built with the server) as cluster-admin. */
    Kubectl.Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                binaries.resolve("kubectl").toString(),
                "--server",
                server,
                "--token",
                ADMIN_TOKEN,
                "--insecure-skip-tls-verify"));
        command.addAll(List.of(args));
        return Kubectl.run(command);
    }

    /**
     * A service-account token signed with this cluster's own key, exactly as the API server makes them but with the
     * expiry chosen by the test: how a test gets an expired token without waiting the API server's 10-minute minimum.
     */
    String signServiceAccountToken(
            String namespace, String account, String uid, String audience, java.time.Instant expiry) throws Exception {
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("system:serviceaccount:" + namespace + ":" + account)
                .audience(audience)
                .expirationTime(java.util.Date.from(expiry))
                .issueTime(java.util.Date.from(expiry.minusSeconds(3600)))
                .notBeforeTime(java.util.Date.from(expiry.minusSeconds(3600)))
                .jwtID(java.util.UUID.randomUUID().toString())
                .claim(
                        "kubernetes.io",
                        java.util.Map.of(
                                "namespace",
                                namespace,
                                "serviceaccount",
                                java.util.Map.of("name", account, "uid", uid)))
                .build();
        var jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256), claims);
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(serviceAccountSigningKey));
        return jwt.serialize();
    }

    /**
     * Polls {@code kubectl ARGS} until its output satisfies {@code done} (30 s at most) and returns that output; the
     * failure names the command and its last output.
     */
    String eventually(java.util.function.Predicate<String> done, String... args)
            throws IOException, InterruptedException {
        return eventually(java.time.Duration.ofSeconds(30), done, args);
    }

    /** Like {@link #eventually(java.util.function.Predicate, String...)}, waiting up to {@code patience}. */
    String eventually(java.time.Duration patience, java.util.function.Predicate<String> done, String... args)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Kubectl.Result result = kubectl(args);
            last = result.out();
            if (result.exitCode() == 0 && done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("kubectl " + String.join(" ", args) + " never satisfied the condition; last output:\n"
                + last + "\n(operator logs are copied to test-e2e/target/*.log)");
    }

    /** Applies the repository's CRDs ({@code crds/}) and waits until the API server serves every one. */
    void applyCrds() throws IOException, InterruptedException {
        kubectl("apply", "-f", SignetProcess.home().resolve("crds").toString()).ok();
        kubectl(
                        "wait",
                        "--for",
                        "condition=Established",
                        "--timeout=30s",
                        "crd/authorizationpolicies.security.signet.dev",
                        "crd/peerauthentications.security.signet.dev",
                        "crd/rootrotations.security.signet.dev")
                .ok();
    }

    /** Runs the real helm (built beside kubectl) against this API server. */
    Kubectl.Result helm(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(binaries.resolve("helm").toString(), "--kubeconfig", kubeconfig.toString()));
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
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: user
                  user: {token: "%s"}
                contexts:
                - name: test
                  context: {cluster: test, user: user}
                current-context: test
                """.formatted(server, token));
        return file;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    @Override
    public void close() throws InterruptedException {
        runtime.close();
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
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return new Result(process.exitValue(), out);
        }
    }
}
