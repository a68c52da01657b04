package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.api.ca.v1.CreateCertificateResponse;
import dev.signet.api.ca.v1.TrustBundleReport;
import dev.signet.api.ca.v1.TrustBundleServiceGrpc;
import dev.signet.api.ca.v1.TrustBundleUpdate;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.state.StateDirectory;
import dev.signet.controlplane.testing.AdsTestClient;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standing hostile-input suite: {@code bin/signet serve} as users run it (the packaged Quarkus application, so
 * that its class path is the one tested, not this module's), attacked on its TLS gRPC port by a caller who has, at
 * most, one workload's token and certificate. Every class of input is counted: how many were tried, how many refused;
 * the control plane's heap is measured after a full GC before and after the floods. Admin requests from browsers and
 * from another local user are the rotation CLI test's; cross-identity renewals are {@code ReplacedLeavesTest}'s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    private static final Map<String, int[]> TALLY = new LinkedHashMap<>();

    @TempDir
    static Path dir;

    static Process serve;
    static Path log;
    static int grpcPort;
    static int httpPort;
    static List<X509Certificate> roots;
    static LocalTokenIssuer issuer;
    static KeyPair tokenKey;
    static PrivateKey checkoutKey;
    static List<X509Certificate> checkoutChain;
    static long heapBefore;

    @BeforeAll
    static void start() throws Exception {
        grpcPort = SignetProcess.freePort();
        httpPort = SignetProcess.freePort();
        log = dir.resolve("serve.log");
        serve = SignetProcess.serveSamples(dir, log, grpcPort, httpPort);
        SignetProcess.awaitLine(serve, log, "ready");
        roots = Pem.certificates(Files.readString(dir.resolve(".signet/root-cert.pem")));
        tokenKey = new StateDirectory(dir.resolve(".signet"))
                .loadOrCreateTokenKey(CryptoProviders.detect(), new SecureRandom());
        issuer = new LocalTokenIssuer(tokenKey, Clock.systemUTC());
        Path token = dir.resolve("checkout.token");
        Files.writeString(token, token("shop", "checkout"));
        SignetProcess.Result agent = SignetProcess.run(
                dir,
                "agent",
                "--once",
                "--ca-address",
                "localhost:" + grpcPort,
                "--ca-root",
                ".signet/root-cert.pem",
                "--token-file",
                token.toString(),
                "--out",
                "certs");
        assertThat(agent.exitCode()).as(agent.err()).isZero();
        checkoutKey = Pem.privateKey(
                Files.readString(dir.resolve("certs/key.pem")),
                CryptoProviders.detect().bouncyCastle());
        checkoutChain = Pem.certificates(Files.readString(dir.resolve("certs/cert-chain.pem")));
        heapBefore = heapAfterGc();
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            long heapAfter = heapAfterGc();
            StringBuilder summary = new StringBuilder("hostile-input suite against bin/signet serve:\n");
            TALLY.forEach((kind, counts) ->
                    summary.append(String.format("  %-48s tried %6d, refused %6d%n", kind, counts[0], counts[1])));
            summary.append(String.format(
                    "  heap after a full GC: %.1f MB before the floods, %.1f MB after%n",
                    heapBefore / 1e6, heapAfter / 1e6));
            System.out.print(summary);
            Files.writeString(SignetProcess.home().resolve("test-e2e/target/hostile-input-summary.txt"), summary);
            Files.copy(
                    log,
                    SignetProcess.home().resolve("test-e2e/target/hostile-input-serve.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void tally(String kind, int tried, int refused) {
        TALLY.merge(kind, new int[] {tried, refused}, (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]});
    }

    private static String token(String namespace, String account) {
        return issuer.issue(
                new WorkloadIdentity(namespace, account), Duration.ofMinutes(30), LocalTokenIssuer.DEFAULT_AUDIENCE);
    }

    private static ManagedChannel channel(boolean withCertificate) throws Exception {
        var tls = GrpcSslContexts.forClient().trustManager(roots.toArray(new X509Certificate[0]));
        if (withCertificate) {
            tls.keyManager(checkoutKey, checkoutChain.toArray(new X509Certificate[0]));
        }
        return NettyChannelBuilder.forTarget("localhost:" + grpcPort)
                .sslContext(tls.build())
                .build();
    }

    private static CertificateServiceGrpc.CertificateServiceBlockingStub ca(ManagedChannel channel, String token) {
        var stub = CertificateServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        Metadata headers = CallMetadata.bearer(token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static String csr() {
        return Pem.encode("CERTIFICATE REQUEST", Csrs.der(Csrs.ecP256()));
    }

    /** The status a call ends with: OK when it answered. */
    private static Status.Code outcome(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static String metrics() throws Exception {
        return SignetProcess.http(httpPort, "/q/metrics");
    }

    private static double metric(String name) throws Exception {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$")
                .matcher(metrics());
        return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
    }

    /** The control plane's heap in use right after a full collection (jcmd on its process). */
    private static long heapAfterGc() throws Exception {
        Process gc = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(serve.pid()),
                        "GC.run")
                .redirectErrorStream(true)
                .start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(60, TimeUnit.SECONDS);
        Matcher used = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} ([0-9.eE+-]+)$")
                .matcher(metrics());
        long total = 0;
        while (used.find()) {
            total += (long) Double.parseDouble(used.group(1));
        }
        return total;
    }

    @Test
    @Order(1)
    void forged_expired_and_odd_tokens_get_no_certificate() throws Exception {
        Instant now = Instant.now();
        List<String> hostile = new ArrayList<>();
        hostile.add("");
        hostile.add("not-a-jwt");
        hostile.add("a.b.c");
        hostile.add(new PlainJWT(claims("system:serviceaccount:shop:checkout", LocalTokenIssuer.DEFAULT_AUDIENCE, now))
                .serialize());
        hostile.add(hs256(claims("system:serviceaccount:shop:checkout", LocalTokenIssuer.DEFAULT_AUDIENCE, now)));
        hostile.add(es256(
                KeyType.EC_P256
                        .generate(CryptoProviders.detect(), new SecureRandom())
                        .getPrivate(),
                claims("system:serviceaccount:shop:checkout", LocalTokenIssuer.DEFAULT_AUDIENCE, now)));
        hostile.add(new LocalTokenIssuer(tokenKey, Clock.fixed(now.minus(Duration.ofHours(3)), ZoneOffset.UTC))
                .issue(
                        new WorkloadIdentity("shop", "checkout"),
                        Duration.ofHours(1),
                        LocalTokenIssuer.DEFAULT_AUDIENCE));
        hostile.add(new LocalTokenIssuer(tokenKey, Clock.fixed(now.plus(Duration.ofHours(3)), ZoneOffset.UTC))
                .issue(
                        new WorkloadIdentity("shop", "checkout"),
                        Duration.ofHours(1),
                        LocalTokenIssuer.DEFAULT_AUDIENCE));
        hostile.add(issuer.issue(new WorkloadIdentity("shop", "checkout"), Duration.ofHours(1), "vault"));
        hostile.add(es256(
                tokenKey.getPrivate(),
                claims("system:serviceaccount:evil/ns/shop:checkout", LocalTokenIssuer.DEFAULT_AUDIENCE, now)));
        hostile.add(es256(
                tokenKey.getPrivate(),
                claims("system:serviceaccount:shop:Checkout", LocalTokenIssuer.DEFAULT_AUDIENCE, now)));
        hostile.add(es256(tokenKey.getPrivate(), claims("admin", LocalTokenIssuer.DEFAULT_AUDIENCE, now)));
        hostile.add("e".repeat(9 * 1024));
        hostile.add("e".repeat(15 * 1024));
        String valid = token("shop", "checkout");
        hostile.add(valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA");
        ManagedChannel channel = channel(false);
        try {
            int refused = 0;
            for (String token : hostile) {
                Status.Code code = outcome(() -> ca(channel, token).createCertificate(request(csr(), 0)));
                assertThat(code)
                        .as("token " + token.substring(0, Math.min(40, token.length())))
                        .isNotEqualTo(Status.Code.OK);
                refused++;
            }
            tally("forged, expired or odd tokens", hostile.size(), refused);
            assertThat(outcome(() -> ca(channel, valid).createCertificate(request(csr(), 0))))
                    .isEqualTo(Status.Code.OK);
            // The control plane's own identity is reserved, whoever has a token for it.
            assertThat(outcome(
                            () -> ca(channel, token("signet-system", "signet")).createCertificate(request(csr(), 0))))
                    .isEqualTo(Status.Code.PERMISSION_DENIED);
            tally("tokens for the control plane's own identity", 1, 1);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void hostile_csrs_and_lifetimes_are_refused_and_counted() throws Exception {
        ManagedChannel channel = channel(false);
        String token = token("shop", "checkout");
        try {
            String good = csr();
            byte[] der = Csrs.der(Csrs.ecP256());
            der[der.length - 5] ^= 0x55;
            List<CreateCertificateRequest> hostile = List.of(
                    request("", 0),
                    request("-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n-----END CERTIFICATE REQUEST-----\n", 0),
                    request(Pem.encode(checkoutChain.get(0)), 0),
                    request(Pem.encode("CERTIFICATE REQUEST", der), 0),
                    request(Pem.encode("CERTIFICATE REQUEST", Csrs.der(Csrs.rsa(1024))), 0),
                    request(good.repeat(40), 0),
                    request(good, -1),
                    request(good, Long.MIN_VALUE),
                    request(good, Long.MAX_VALUE),
                    request("x".repeat(70 * 1024), 0));
            int refused = 0;
            for (CreateCertificateRequest request : hostile) {
                Status.Code code = outcome(() -> ca(channel, token).createCertificate(request));
                assertThat(code)
                        .as("csr of " + request.getCsr().length() + " chars, ttl " + request.getValiditySeconds())
                        .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);
                refused++;
            }
            tally("hostile CSRs and lifetimes", hostile.size(), refused);
            // A CSR naming another identity gets the caller's: the CA decides, never the CSR.
            KeyPair keys = Csrs.ecP256();
            CreateCertificateResponse issued = ca(channel, token)
                    .createCertificate(request(
                            Pem.encode(
                                    "CERTIFICATE REQUEST",
                                    Csrs.der(
                                            keys,
                                            Csrs.defaultAlgorithm(keys),
                                            "CN=signet",
                                            "spiffe://cluster.local/ns/signet-system/sa/signet")),
                            0));
            assertThat(SpiffeId.fromCertificate(
                                    Pem.certificates(issued.getCertChain(0)).get(0))
                            .uri())
                    .isEqualTo("spiffe://cluster.local/ns/shop/sa/checkout");
        } finally {
            channel.shutdownNow();
        }
        String lines = Files.readString(log);
        assertThat(lines)
                .as("an oversize message is not worth a stack trace each")
                .doesNotContain("\tat io.grpc");
    }

    private static CreateCertificateRequest request(String csr, long validitySeconds) {
        return CreateCertificateRequest.newBuilder()
                .setCsr(csr)
                .setValiditySeconds(validitySeconds)
                .build();
    }

    @Test
    @Order(3)
    void one_token_gets_its_share_of_certificates_and_one_watcher_however_many_streams_it_opens() throws Exception {
        ManagedChannel channel = channel(false);
        String token = token("shop", "flood");
        try {
            int refused = 0;
            String request = csr();
            for (int i = 0; i < 400; i++) {
                Status.Code code = outcome(() -> ca(channel, token).createCertificate(request(request, 0)));
                if (code == Status.Code.RESOURCE_EXHAUSTED) {
                    refused++;
                } else {
                    assertThat(code).isEqualTo(Status.Code.OK);
                }
            }
            assertThat(refused)
                    .as("at most the burst of 200 and what refilled meanwhile")
                    .isGreaterThanOrEqualTo(150);
            tally("certificates asked by one token at once", 400, refused);
            assertThat(metrics()).contains("signet_ca_requests_refused_total{reason=\"rate_limited\"}");

            // 300 bundle watches with one token: one workload instance, one watcher on the gates.
            Metadata headers = CallMetadata.bearer(token);
            var watch = TrustBundleServiceGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            CountDownLatch ended = new CountDownLatch(299);
            List<StreamObserver<TrustBundleReport>> streams = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                streams.add(watch.watchTrustBundle(new StreamObserver<TrustBundleUpdate>() {
                    @Override
                    public void onNext(TrustBundleUpdate update) {}

                    @Override
                    public void onError(Throwable t) {
                        ended.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        ended.countDown();
                    }
                }));
                Thread.sleep(2);
            }
            assertThat(ended.await(30, TimeUnit.SECONDS))
                    .as("the replaced streams are ended")
                    .isTrue();
            tally("bundle watches opened by one token", 300, 299);
            assertThat(metric("signet_trust_bundle_watchers"))
                    .as("watchers counted")
                    .isEqualTo(1);
            streams.forEach(StreamObserver::onCompleted);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void a_nack_storm_keeps_the_streams_counts_every_nack_and_leaks_no_proxy() throws Exception {
        int nacks = 0;
        for (int s = 0; s < 40; s++) {
            try (AdsTestClient proxy =
                    new AdsTestClient(grpcPort, roots, checkoutKey, checkoutChain, "signet~shop~checkout")) {
                for (int i = 0; i < 5; i++) {
                    List<String> names = List.of("outbound|8080||payments.shop", "nack-" + s + "-" + i);
                    proxy.subscribe("type.googleapis.com/envoy.config.cluster.v3.Cluster", names);
                    DiscoveryResponse response = proxy.response();
                    proxy.nack(response, names, "hostile NACK " + nacks + " " + "z".repeat(2000));
                    nacks++;
                }
                assertThat(proxy.eventWithin(100))
                        .as("the stream survives its NACKs")
                        .isNull();
                if (s == 0) {
                    proxyStatusShows(nacks);
                }
            }
        }
        tally("NACKs (over 40 streams, each then cancelled)", nacks, 0);
        org.awaitility.Awaitility.await("every stream let go")
                .atMost(Duration.ofSeconds(20))
                .until(() -> metric("signet_xds_connected_proxies") == 0);
        assertThat(metric("signet_xds_nacks_total{type=\"CDS\"}")).isEqualTo(nacks);
        assertThat(metric("signet_xds_nacks_total{type=\"LDS\"}")).isZero();
        assertThat(metric("signet_policies{source=\"folder\",state=\"in_force\"}"))
                .as("the samples' three policies")
                .isEqualTo(3);
        assertThat(Files.readString(log)).doesNotContain("NoClassDefFoundError").doesNotContain("\tat io.grpc");
    }

    /** {@code signet proxy-status}, the packaged CLI, names the NACKing proxy, its type and its error. */
    private static void proxyStatusShows(int nacks) throws Exception {
        String address = "127.0.0.1:" + httpPort;
        SignetProcess.Result table = SignetProcess.run(dir, "proxy-status", "--address", address);
        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("PROXY\\s+WORKLOAD\\s+REPLICA\\s+CDS\\s+AGE");
        assertThat(lines.get(1))
                .matches("signet~shop~checkout\\s+\\S+\\s+" + address.replace(".", "\\.") + "\\s+NACKED\\s+\\S+");
        assertThat(lines.get(2))
                .startsWith("signet~shop~checkout CDS NACKED version ")
                .contains(": hostile NACK " + (nacks - 1) + " zzz")
                .endsWith("…")
                .hasSizeLessThan(300);
        assertThat(lines.get(3)).isEqualTo("1 proxy: 0 synced, 1 with a NACK, 0 waiting (1 replica asked)");

        SignetProcess.Result json = SignetProcess.run(dir, "proxy-status", "--address", address, "-o", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        var cds = tree.at("/proxies/0/types/CDS");
        assertThat(cds.path("state").asText()).isEqualTo("NACKED");
        assertThat(cds.path("error").asText())
                .as("the error as the control plane keeps it: its first 512 characters")
                .startsWith("hostile NACK " + (nacks - 1) + " " + "z".repeat(100))
                .hasSize(513)
                .endsWith("…");
        assertThat(tree.at("/proxies/0/identity").asText()).isEqualTo("spiffe://cluster.local/ns/shop/sa/checkout");

        SignetProcess.Result nobody =
                SignetProcess.run(dir, "proxy-status", "--address", "127.0.0.1:" + SignetProcess.freePort());
        assertThat(nobody.exitCode()).isEqualTo(3);
        assertThat(nobody.err()).contains("cannot connect to the control plane at 127.0.0.1:");
        SignetProcess.Result stranger =
                SignetProcess.run(dir, "proxy-status", "--address", address, "--state-dir", "elsewhere");
        assertThat(stranger.exitCode()).isEqualTo(1);
        assertThat(stranger.err()).contains("no admin credential at elsewhere/admin-token");
    }

    @Test
    @Order(5)
    void idle_streams_without_a_certificate_and_bogus_or_oversized_xds_requests_are_refused() throws Exception {
        int flood = 2000;
        CountDownLatch unauthenticated = new CountDownLatch(flood);
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            for (int c = 0; c < flood / 100; c++) {
                ManagedChannel channel = channel(false);
                channels.add(channel);
                var ads = io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.newStub(channel);
                for (int i = 0; i < 100; i++) {
                    // Opened and never written to: a stream that would sit idle, holding what it holds.
                    ads.streamAggregatedResources(new StreamObserver<>() {
                        @Override
                        public void onNext(DiscoveryResponse response) {}

                        @Override
                        public void onError(Throwable t) {
                            if (Status.fromThrowable(t).getCode() == Status.Code.UNAUTHENTICATED) {
                                unauthenticated.countDown();
                            }
                        }

                        @Override
                        public void onCompleted() {}
                    });
                }
            }
            assertThat(unauthenticated.await(60, TimeUnit.SECONDS))
                    .as("every idle stream refused at once")
                    .isTrue();
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
        tally("ADS streams without a certificate, idle", flood, flood);

        int bogus = 0;
        try (AdsTestClient proxy =
                new AdsTestClient(grpcPort, roots, checkoutKey, checkoutChain, "signet~shop~checkout")) {
            proxy.subscribe("type.googleapis.com/google.protobuf.Empty", List.of());
            bogus += refusedWith(proxy, Status.Code.INVALID_ARGUMENT);
        }
        try (AdsTestClient proxy =
                new AdsTestClient(grpcPort, roots, checkoutKey, checkoutChain, "signet~shop~checkout")) {
            proxy.subscribe(
                    "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                    java.util.stream.IntStream.range(0, 5000)
                            .mapToObj(i -> "c" + i)
                            .toList());
            bogus += refusedWith(proxy, Status.Code.INVALID_ARGUMENT);
        }
        try (AdsTestClient proxy =
                new AdsTestClient(grpcPort, roots, checkoutKey, checkoutChain, "signet~shop~checkout")) {
            proxy.subscribe("type.googleapis.com/envoy.config.cluster.v3.Cluster", List.of("x".repeat(80 * 1024)));
            bogus += refusedWith(proxy, Status.Code.RESOURCE_EXHAUSTED);
        }
        try (AdsTestClient proxy =
                new AdsTestClient(grpcPort, roots, checkoutKey, checkoutChain, "signet~shop~payments")) {
            proxy.subscribe("type.googleapis.com/envoy.config.listener.v3.Listener", List.of());
            bogus += refusedWith(proxy, Status.Code.PERMISSION_DENIED);
        }
        tally("bogus, oversized or spoofed xDS requests", 4, bogus);

        // Distinct name sets: each answered, a bounded number kept.
        int sets = 3000;
        try (AdsTestClient proxy =
                new AdsTestClient(grpcPort, roots, checkoutKey, checkoutChain, "signet~shop~checkout")) {
            for (int i = 0; i < sets; i++) {
                proxy.subscribe(
                        "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                        List.of("outbound|" + i + "||nowhere.shop", "pad-" + "p".repeat(200)));
                proxy.response();
            }
        }
        tally("distinct xDS name sets (answered; kept at most 256)", sets, 0);
        Process histogram = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(serve.pid()),
                        "GC.class_histogram")
                .redirectErrorStream(true)
                .start();
        String classes = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        histogram.waitFor(60, TimeUnit.SECONDS);
        Matcher snapshots = Pattern.compile(
                        "(?m)^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+dev\\.signet\\.controlplane\\.xds\\.ProxyResources\\$Snapshot\\b")
                .matcher(classes);
        long kept = snapshots.find() ? Long.parseLong(snapshots.group(1)) : 0;
        assertThat(kept)
                .as("snapshots held after " + sets + " distinct requests")
                .isLessThanOrEqualTo(256 + 16);
    }

    @Test
    @Order(6)
    void a_half_sent_http_request_is_dropped_and_the_admin_routes_need_the_credential() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), httpPort)) {
            socket.getOutputStream()
                    .write("GET /q/health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(60_000);
            // The server closes the connection (end of stream) well before the read gives up.
            assertThat(socket.getInputStream().read())
                    .as("closed by the server")
                    .isEqualTo(-1);
        }
        tally("half-sent HTTP requests (dropped after 15 s of silence)", 1, 1);
        int refused = 0;
        for (String path : List.of("/debug/proxies", "/rotation")) {
            RawHttp.Answer answer = RawHttp.send(httpPort, "GET " + path + " HTTP/1.1\nHost: 127.0.0.1", "");
            assertThat(answer.status()).as(path).isEqualTo(401);
            refused++;
        }
        tally("admin requests without the credential", 2, refused);
    }

    @Test
    @Order(7)
    void a_connection_that_never_speaks_is_dropped_and_one_connection_carries_at_most_100_calls() throws Exception {
        try (java.net.Socket silent = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), grpcPort)) {
            silent.setSoTimeout(60_000);
            // No TLS ClientHello, no HTTP/2 preface: the handshake timeout (10 s) closes it, not the 2 minutes of old.
            assertThat(silent.getInputStream().read())
                    .as("closed by the server")
                    .isEqualTo(-1);
        }
        tally("connections that never complete a handshake", 1, 1);

        ManagedChannel channel = channel(true);
        try {
            var ads = io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.newStub(channel);
            CountDownLatch answered = new CountDownLatch(100);
            List<StreamObserver<io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest>> streams = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                var requests = ads.streamAggregatedResources(new StreamObserver<DiscoveryResponse>() {
                    @Override
                    public void onNext(DiscoveryResponse response) {
                        answered.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                });
                requests.onNext(io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest.newBuilder()
                        .setNode(io.envoyproxy.envoy.config.core.v3.Node.newBuilder()
                                .setId("signet~shop~checkout"))
                        .setTypeUrl("type.googleapis.com/envoy.config.listener.v3.Listener")
                        .build());
                streams.add(requests);
            }
            assertThat(answered.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1000);
            assertThat(metric("signet_xds_connected_proxies"))
                    .as("the other 50 wait for a slot on the connection")
                    .isEqualTo(100);
            tally("ADS streams on one connection (100 served at once)", 150, 50);
            streams.forEach(StreamObserver::onCompleted);
        } finally {
            channel.shutdownNow();
        }
    }

    private static int refusedWith(AdsTestClient proxy, Status.Code expected) throws Exception {
        Object event = proxy.eventWithin(10_000);
        assertThat(event)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(expected));
        return 1;
    }

    private static JWTClaimsSet claims(String subject, String audience, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(LocalTokenIssuer.ISSUER)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .build();
    }

    private static String es256(PrivateKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
        jwt.sign(new ECDSASigner((ECPrivateKey) key));
        return jwt.serialize();
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}
