package dev.signet.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.rpc.Status;
import dev.signet.agent.Agent;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.Pem;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationRequest;
import dev.signet.policy.compile.CompilerOptions;
import dev.signet.policy.compile.WorkloadCompiler;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envoy's SDS on the agent's socket, driven at the protocol level with Envoy's own protos the way Envoy drives it:
 * subscribe, ACK, NACK, stale nonces, reconnect, a renewal push and a bundle push in a rotation; every pushed Secret
 * passes the protoc-gen-validate rules of Envoy's protos; and the secret names are those the policy compiler's envoy
 * flavor writes into listeners.
 */
class SdsServerTest {

    @TempDir
    Path dir;

    private AgentOnSocket fixture;
    private Agent agent;

    @BeforeEach
    void start() throws Exception {
        fixture = AgentOnSocket.start(dir);
        agent = fixture.agent();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    /** One SDS stream as Envoy holds it. */
    private final class EnvoyStream implements AutoCloseable {
        final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
        final StreamObserver<DiscoveryRequest> requests;

        EnvoyStream() {
            requests = SecretDiscoveryServiceGrpc.newStub(fixture.channel()).streamSecrets(new StreamObserver<>() {
                @Override
                public void onNext(DiscoveryResponse response) {
                    responses.add(response);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            });
        }

        void subscribe(String... names) {
            requests.onNext(request(List.of(names)).build());
        }

        void ack(DiscoveryResponse response, String... names) {
            requests.onNext(request(List.of(names))
                    .setVersionInfo(response.getVersionInfo())
                    .setResponseNonce(response.getNonce())
                    .build());
        }

        void nack(DiscoveryResponse response, String previousVersion, String... names) {
            requests.onNext(request(List.of(names))
                    .setVersionInfo(previousVersion)
                    .setResponseNonce(response.getNonce())
                    .setErrorDetail(Status.newBuilder().setCode(3).setMessage("Failed to load certificate chain"))
                    .build());
        }

        DiscoveryResponse next() throws InterruptedException {
            DiscoveryResponse response = responses.poll(10, TimeUnit.SECONDS);
            assertThat(response).as("an SDS response").isNotNull();
            return response;
        }

        void expectNothing() throws InterruptedException {
            assertThat(responses.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }

        @Override
        public void close() {
            requests.onCompleted();
        }
    }

    private static DiscoveryRequest.Builder request(List<String> names) {
        return DiscoveryRequest.newBuilder()
                .setNode(Node.newBuilder().setId("sidecar~10.0.0.7~payments.shop~shop.svc.cluster.local"))
                .setTypeUrl(SdsSecrets.TYPE_URL)
                .addAllResourceNames(names);
    }

    private static Map<String, Secret> secrets(DiscoveryResponse response) throws Exception {
        assertThat(response.getTypeUrl()).isEqualTo(SdsSecrets.TYPE_URL);
        Map<String, Secret> byName = new LinkedHashMap<>();
        for (Any resource : response.getResourcesList()) {
            Secret secret = resource.unpack(Secret.class);
            PgvRules.Report report = PgvRules.check(secret);
            assertThat(report.violations())
                    .as("Envoy's validation rules on " + secret.getName())
                    .isEmpty();
            assertThat(report.checked())
                    .as("rules checked on " + secret.getName())
                    .isPositive();
            assertThat(report.unchecked()).isZero();
            byName.put(secret.getName(), secret);
        }
        return byName;
    }

    private static List<X509Certificate> pem(com.google.protobuf.ByteString bytes) {
        return Pem.certificates(bytes.toString(StandardCharsets.US_ASCII));
    }

    /** The SDS secret names the envoy flavor of the compiler writes into a workload's listeners and clusters. */
    private static Set<String> compiledSecretNames() throws Exception {
        String yaml = """
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: payments, namespace: shop, labels: {app: payments}}
                spec:
                  serviceAccount: payments
                  ports: [{port: 8080, protocol: HTTP}]
                """;
        LoadResult loaded = new ResourceLoader(new PolicyValidator(MeshPolicies.DEFAULT_ROOT_NAMESPACE))
                .loadText("payments.yaml", yaml);
        assertThat(loaded.hasErrors()).isFalse();
        MeshPolicies mesh = MeshPolicies.of(MeshPolicies.DEFAULT_ROOT_NAMESPACE, loaded.resources());
        JsonNode compiled = new ObjectMapper()
                .readTree(new WorkloadCompiler(CompilerOptions.ENVOY)
                        .compile(mesh, mesh.workload("shop/payments").orElseThrow())
                        .toJson());
        Set<String> names = new TreeSet<>();
        for (String key : List.of("tlsCertificateSdsSecretConfigs", "validationContextSdsSecretConfig")) {
            compiled.findValues(key)
                    .forEach(value -> (value.isArray() ? value : List.of(value))
                            .forEach(config ->
                                    names.add(((JsonNode) config).path("name").asText())));
        }
        return names;
    }

    @Test
    void the_names_the_compiler_writes_are_the_secrets_served_with_the_certificate_and_its_key() throws Exception {
        Set<String> names = compiledSecretNames();
        assertThat(names).as("SDS names in compiled listeners").containsExactlyInAnyOrder("default", "ROOTCA");
        try (EnvoyStream envoy = new EnvoyStream()) {
            envoy.subscribe(names.toArray(String[]::new));
            envoy.expectNothing();
            agent.renewOnce();

            DiscoveryResponse first = envoy.next();
            Map<String, Secret> secrets = secrets(first);
            assertThat(secrets.keySet()).isEqualTo(names);
            List<X509Certificate> chain = pem(secrets.get("default")
                    .getTlsCertificate()
                    .getCertificateChain()
                    .getInlineBytes());
            PrivateKey key = Pem.privateKey(
                    secrets.get("default")
                            .getTlsCertificate()
                            .getPrivateKey()
                            .getInlineBytes()
                            .toString(StandardCharsets.US_ASCII),
                    new org.bouncycastle.jce.provider.BouncyCastleProvider());
            Signature signature =
                    Signature.getInstance("SHA256withECDSA", new org.bouncycastle.jce.provider.BouncyCastleProvider());
            signature.initSign(key);
            signature.update(new byte[] {1, 2, 3});
            byte[] signed = signature.sign();
            signature.initVerify(chain.get(0).getPublicKey());
            signature.update(new byte[] {1, 2, 3});
            assertThat(signature.verify(signed))
                    .as("the key is the certificate's")
                    .isTrue();
            assertThat(chain.get(0).getSubjectAlternativeNames().toString())
                    .contains("spiffe://cluster.local/ns/shop/sa/payments");
            assertThat(pem(secrets.get("ROOTCA")
                            .getValidationContext()
                            .getTrustedCa()
                            .getInlineBytes()))
                    .isEqualTo(agent.current().orElseThrow().roots());

            envoy.ack(first, names.toArray(String[]::new));
            envoy.expectNothing();
        }
    }

    @Test
    void a_renewal_is_pushed_a_nack_is_counted_and_not_answered_and_a_stale_nonce_is_ignored() throws Exception {
        agent.renewOnce();
        try (EnvoyStream envoy = new EnvoyStream()) {
            envoy.subscribe("default");
            DiscoveryResponse first = envoy.next();
            assertThat(first.getNonce()).isNotEmpty();
            envoy.ack(first, "default");

            agent.renewOnce();
            DiscoveryResponse renewed = envoy.next();
            assertThat(renewed.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
            assertThat(renewed.getNonce()).isNotEqualTo(first.getNonce());
            assertThat(secrets(renewed).get("default").getTlsCertificate().getCertificateChain())
                    .isNotEqualTo(
                            secrets(first).get("default").getTlsCertificate().getCertificateChain());

            envoy.nack(renewed, first.getVersionInfo(), "default");
            envoy.expectNothing();
            assertThat(fixture.server().sdsNacks()).isEqualTo(1);
            envoy.ack(first, "default");
            envoy.expectNothing();

            envoy.subscribe("default", "ROOTCA");
            assertThat(secrets(envoy.next()).keySet())
                    .as("a changed subscription is answered at once")
                    .containsExactly("default", "ROOTCA");
        }
        try (EnvoyStream reconnected = new EnvoyStream()) {
            reconnected.subscribe("ROOTCA");
            assertThat(secrets(reconnected.next()).keySet()).containsExactly("ROOTCA");
        }
        DiscoveryResponse fetched = SecretDiscoveryServiceGrpc.newBlockingStub(fixture.channel())
                .fetchSecrets(request(List.of("default")).build());
        assertThat(secrets(fetched).keySet()).containsExactly("default");
    }

    @Test
    void the_agent_confirms_a_bundle_only_once_every_envoy_acked_it() throws Exception {
        agent.renewOnce();
        List<Long> reached = new ArrayList<>();
        agent.onReachChanged(() -> reached.add(agent.confirmable()));
        try (EnvoyStream envoy = new EnvoyStream();
                EnvoyStream late = new EnvoyStream()) {
            envoy.subscribe("default", "ROOTCA");
            DiscoveryResponse first = envoy.next();
            long v1 = agent.bundleVersion();
            assertThat(agent.confirmable()).as("sent, not yet ACKed").isLessThan(v1);
            envoy.ack(first, "default", "ROOTCA");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> agent.confirmable() == v1);

            fixture.controlPlane().rotation().start(RotationRequest.generated(RotationMode.MANUAL));
            TrustBundle prepared = fixture.controlPlane().rotation().bundle();
            agent.acceptBundle(prepared.roots(), prepared.jwtKeys(), prepared.version());
            DiscoveryResponse pushed = envoy.next();
            assertThat(pem(secrets(pushed)
                            .get("ROOTCA")
                            .getValidationContext()
                            .getTrustedCa()
                            .getInlineBytes()))
                    .as("the bundle of PREPARE, pushed")
                    .hasSize(2);
            assertThat(agent.confirmable()).as("held until Envoy ACKs").isEqualTo(v1);

            late.subscribe("ROOTCA");
            DiscoveryResponse lateFirst = late.next();
            envoy.ack(pushed, "default", "ROOTCA");
            Thread.sleep(300);
            assertThat(agent.confirmable())
                    .as("a second Envoy, new, has ACKed nothing yet")
                    .isLessThan(prepared.version());
            late.nack(lateFirst, "", "ROOTCA");
            Thread.sleep(300);
            assertThat(agent.confirmable()).as("a NACK holds it too").isLessThan(prepared.version());
            late.ack(lateFirst, "ROOTCA");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> agent.confirmable() == prepared.version());
            assertThat(reached).contains(prepared.version());
        }
    }
}
