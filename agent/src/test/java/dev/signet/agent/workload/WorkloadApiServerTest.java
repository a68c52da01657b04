package dev.signet.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.agent.Agent;
import dev.signet.api.spiffe.workload.JWTBundlesRequest;
import dev.signet.api.spiffe.workload.JWTBundlesResponse;
import dev.signet.api.spiffe.workload.JWTSVIDRequest;
import dev.signet.api.spiffe.workload.JWTSVIDResponse;
import dev.signet.api.spiffe.workload.SpiffeWorkloadAPIGrpc;
import dev.signet.api.spiffe.workload.ValidateJWTSVIDRequest;
import dev.signet.api.spiffe.workload.ValidateJWTSVIDResponse;
import dev.signet.api.spiffe.workload.X509BundlesRequest;
import dev.signet.api.spiffe.workload.X509BundlesResponse;
import dev.signet.api.spiffe.workload.X509SVIDRequest;
import dev.signet.api.spiffe.workload.X509SVIDResponse;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Workload API as a client of the specification sees it over the Unix socket: the header rule, the X.509 messages
 * (DER chain, PKCS#8 key that matches, the bundle), a new message on renewal, the socket's mode, and JWT-SVIDs:
 * fetched for the workload's own identity only, validated, their keys streamed.
 */
class WorkloadApiServerTest {

    @TempDir
    Path dir;

    private AgentOnSocket fixture;
    private ControlPlane controlPlane;
    private Agent agent;
    private WorkloadApiServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        fixture = AgentOnSocket.start(dir);
        controlPlane = fixture.controlPlane();
        agent = fixture.agent();
        server = fixture.server();
        channel = fixture.channel();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIBlockingStub api() {
        Metadata header = new Metadata();
        header.put(SecurityHeader.KEY, "true");
        return SpiffeWorkloadAPIGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static List<X509Certificate> certificates(byte[] der) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der)).stream()
                .map(X509Certificate.class::cast)
                .toList();
    }

    @Test
    void the_socket_is_its_owners_only_and_a_call_without_the_security_header_is_refused() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())))
                .isEqualTo("rw-------");
        Iterator<X509SVIDResponse> headless = SpiffeWorkloadAPIGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .fetchX509SVID(X509SVIDRequest.getDefaultInstance());
        StatusRuntimeException refused =
                org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, headless::hasNext);
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).contains("security header missing");

        StatusRuntimeException early = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> api().fetchJWTSVID(
                                JWTSVIDRequest.newBuilder().addAudience("x").build()));
        assertThat(early.getStatus().getCode()).as("no identity yet").isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void jwt_svids_are_for_the_workloads_own_identity_and_validate_against_the_keys_the_bundle_streams()
            throws Exception {
        Iterator<JWTBundlesResponse> jwtBundles = api().fetchJWTBundles(JWTBundlesRequest.getDefaultInstance());
        agent.renewOnce();
        JsonNode keys = new ObjectMapper()
                .readTree(jwtBundles
                        .next()
                        .getBundlesOrThrow("spiffe://cluster.local")
                        .toByteArray())
                .get("keys");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("use").asText()).isEqualTo("jwt-svid");

        JWTSVIDResponse fetched = api().fetchJWTSVID(JWTSVIDRequest.newBuilder()
                .addAudience("ledger")
                .addAudience("audit")
                .build());
        String token = fetched.getSvids(0).getSvid();
        assertThat(fetched.getSvids(0).getSpiffeId()).isEqualTo("spiffe://cluster.local/ns/shop/sa/payments");
        assertThat(api().fetchJWTSVID(JWTSVIDRequest.newBuilder()
                                .addAudience("ledger")
                                .addAudience("audit")
                                .build())
                        .getSvids(0)
                        .getSvid())
                .as("held while most of its life is left")
                .isEqualTo(token);
        ValidateJWTSVIDResponse valid = api().validateJWTSVID(ValidateJWTSVIDRequest.newBuilder()
                .setAudience("audit")
                .setSvid(token)
                .build());
        assertThat(valid.getSpiffeId()).isEqualTo("spiffe://cluster.local/ns/shop/sa/payments");
        assertThat(valid.getClaims().getFieldsOrThrow("aud").getListValue().getValuesList())
                .extracting(com.google.protobuf.Value::getStringValue)
                .containsExactly("ledger", "audit");
        assertThat(keys.get(0).get("kid").asText()).isEqualTo(kid(token));

        assertRefused(
                () -> api().validateJWTSVID(ValidateJWTSVIDRequest.newBuilder()
                        .setAudience("shipping")
                        .setSvid(token)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "not for audience \"shipping\"");
        assertRefused(
                () -> api().fetchJWTSVID(JWTSVIDRequest.newBuilder()
                        .addAudience("ledger")
                        .setSpiffeId("spiffe://cluster.local/ns/kube-system/sa/admin")
                        .build()),
                Status.Code.PERMISSION_DENIED,
                "not spiffe://cluster.local/ns/kube-system/sa/admin");
        JWTSVIDRequest.Builder many = JWTSVIDRequest.newBuilder();
        for (int i = 0; i < 10_000; i++) {
            many.addAudience("audience-" + i);
        }
        assertRefused(() -> api().fetchJWTSVID(many.build()), Status.Code.INVALID_ARGUMENT, "at most 64 audiences");
        assertRefused(
                () -> api().fetchJWTSVID(JWTSVIDRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT,
                "at least one audience");
        assertThat(api().fetchJWTSVID(JWTSVIDRequest.newBuilder()
                                .addAudience("ledger")
                                .build())
                        .getSvidsCount())
                .as("still serving")
                .isEqualTo(1);

        controlPlane.rotation().start(RotationRequest.generated(RotationMode.MANUAL));
        TrustBundle prepared = controlPlane.rotation().bundle();
        agent.acceptBundle(prepared.roots(), prepared.jwtKeys(), prepared.version());
        assertThat(new ObjectMapper()
                        .readTree(jwtBundles
                                .next()
                                .getBundlesOrThrow("spiffe://cluster.local")
                                .toByteArray())
                        .get("keys"))
                .as("the new root's key is published in PREPARE")
                .hasSize(2);
    }

    private static String kid(String token) throws Exception {
        return new ObjectMapper()
                .readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]))
                .get("kid")
                .asText();
    }

    private static void assertRefused(
            org.junit.jupiter.api.function.Executable call, Status.Code code, String description) {
        StatusRuntimeException refused =
                org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call);
        assertThat(refused.getStatus().getCode()).isEqualTo(code);
        assertThat(refused.getStatus().getDescription()).contains(description);
    }

    @Test
    void the_svid_stream_answers_with_the_first_certificate_and_again_on_each_renewal() throws Exception {
        Iterator<X509SVIDResponse> svids = api().fetchX509SVID(X509SVIDRequest.getDefaultInstance());
        Iterator<X509BundlesResponse> bundles = api().fetchX509Bundles(X509BundlesRequest.getDefaultInstance());
        agent.renewOnce();

        X509SVIDResponse first = svids.next();
        assertThat(first.getSvidsList()).singleElement().satisfies(svid -> {
            assertThat(svid.getSpiffeId()).isEqualTo("spiffe://cluster.local/ns/shop/sa/payments");
            List<X509Certificate> chain = certificates(svid.getX509Svid().toByteArray());
            List<X509Certificate> roots = certificates(svid.getBundle().toByteArray());
            assertThat(roots).hasSize(1);
            chain.get(chain.size() - 1).verify(roots.get(0).getPublicKey());
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(
                            new PKCS8EncodedKeySpec(svid.getX509SvidKey().toByteArray()));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(new byte[] {1, 2, 3});
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(chain.get(0).getPublicKey());
            verifier.update(new byte[] {1, 2, 3});
            assertThat(verifier.verify(signature)).as("the key is the leaf's").isTrue();
        });
        assertThat(bundles.next().getBundlesMap()).containsOnlyKeys("spiffe://cluster.local");

        agent.renewOnce();
        X509SVIDResponse second = svids.next();
        assertThat(certificates(second.getSvids(0).getX509Svid().toByteArray())
                        .get(0)
                        .getSerialNumber())
                .isNotEqualTo(certificates(first.getSvids(0).getX509Svid().toByteArray())
                        .get(0)
                        .getSerialNumber());
        assertThat(server.streams()).isEqualTo(2);
    }

    @Test
    void a_client_that_never_reads_and_a_thousand_idle_ones_do_not_keep_the_others_waiting() throws Exception {
        agent.renewOnce();
        Metadata header = new Metadata();
        header.put(SecurityHeader.KEY, "true");
        // Asks for the stream, then never takes a message (no request(n)): its messages wait in gRPC's queue.
        ClientCall<X509SVIDRequest, X509SVIDResponse> stalled =
                channel.newCall(SpiffeWorkloadAPIGrpc.getFetchX509SVIDMethod(), CallOptions.DEFAULT);
        stalled.start(new ClientCall.Listener<>() {}, header);
        stalled.sendMessage(X509SVIDRequest.getDefaultInstance());
        stalled.halfClose();
        List<ManagedChannel> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                ManagedChannel connection = UnixSockets.channel(server.socket(), fixture.clientLoop());
                connection.getState(true);
                idle.add(connection);
            }
            org.awaitility.Awaitility.await("1,000 idle connections")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> idle.stream().allMatch(c -> c.getState(false) == io.grpc.ConnectivityState.READY));

            Iterator<X509SVIDResponse> svids = api().fetchX509SVID(X509SVIDRequest.getDefaultInstance());
            java.math.BigInteger previous = certificates(
                            svids.next().getSvids(0).getX509Svid().toByteArray())
                    .get(0)
                    .getSerialNumber();
            for (int i = 0; i < 20; i++) {
                agent.renewOnce();
                java.math.BigInteger serial = certificates(
                                svids.next().getSvids(0).getX509Svid().toByteArray())
                        .get(0)
                        .getSerialNumber();
                assertThat(serial).isNotEqualTo(previous);
                previous = serial;
            }
            assertThat(server.streams())
                    .as("the stalled stream and the reading one")
                    .isEqualTo(2);
        } finally {
            stalled.cancel("done", null);
            for (ManagedChannel connection : idle) {
                connection.shutdownNow();
            }
        }
    }

    @Test
    void a_new_bundle_is_on_every_stream_before_the_agent_can_confirm_it() throws Exception {
        Iterator<X509SVIDResponse> svids = api().fetchX509SVID(X509SVIDRequest.getDefaultInstance());
        Iterator<X509BundlesResponse> bundles = api().fetchX509Bundles(X509BundlesRequest.getDefaultInstance());
        agent.renewOnce();
        svids.next();
        bundles.next();

        controlPlane.rotation().start(RotationRequest.generated(RotationMode.MANUAL));
        TrustBundle prepared = controlPlane.rotation().bundle();
        assertThat(server.streamsBehind(prepared.version())).isEqualTo(2);
        long confirmed = agent.acceptBundle(prepared.roots(), prepared.jwtKeys(), prepared.version());

        assertThat(confirmed).isEqualTo(prepared.version());
        assertThat(server.streamsBehind(prepared.version()))
                .as("sent to every stream by the time the agent has a version to confirm")
                .isZero();
        assertThat(certificates(svids.next().getSvids(0).getBundle().toByteArray()))
                .hasSize(2);
        assertThat(certificates(bundles.next()
                        .getBundlesOrThrow("spiffe://cluster.local")
                        .toByteArray()))
                .hasSize(2);
    }
}
