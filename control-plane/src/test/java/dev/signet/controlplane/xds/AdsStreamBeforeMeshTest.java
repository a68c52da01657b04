package dev.signet.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import dev.signet.controlplane.testing.RecordingObserver;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A stream that opens before the server has a mesh: held, then answered from the first mesh, never from none. */
class AdsStreamBeforeMeshTest {

    private static final String INBOUND_8080 = "grpc/server?xds.resource.listening_address=0.0.0.0:8080";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final XdsServer server = new XdsServer(
            "cluster.local",
            new ProxyStatusRegistry(Clock.systemUTC()),
            scheduler,
            // Pushes are made by the test itself.
            Duration.ofHours(1));
    private final RecordingObserver<DiscoveryResponse> responses = new RecordingObserver<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void requests_wait_for_the_first_mesh_and_the_latest_of_a_type_is_answered_with_the_first_ones_node() {
        AdsStream stream = new AdsStream(1, server, responses, chainOf("payments"));
        stream.onNext(request("signet~shop~payments", List.of("payments.shop:1")));
        stream.onNext(request(null, List.of(INBOUND_8080)));
        stream.push();

        assertThat(server.meshKnown()).isFalse();
        assertThat(responses.events())
                .as("nothing is answered from a mesh not yet read")
                .isEmpty();
        assertThat(server.registry().proxies()).isEmpty();

        server.update(mesh());
        stream.push();

        assertThat(responses.events()).singleElement().isInstanceOfSatisfying(DiscoveryResponse.class, response -> {
            assertThat(response.getTypeUrl()).isEqualTo(TypeUrls.LISTENER);
            assertThat(response.getResourcesList())
                    .singleElement()
                    .satisfies(any ->
                            assertThat(any.unpack(Listener.class).getName()).isEqualTo(INBOUND_8080));
        });
        assertThat(server.registry().proxies())
                .singleElement()
                .satisfies(p -> assertThat(p.identity()).isEqualTo("spiffe://cluster.local/ns/shop/sa/payments"));
    }

    @Test
    void a_held_stream_is_still_judged_by_the_mesh_once_it_is_there() {
        AdsStream impostor = new AdsStream(1, server, responses, chainOf("checkout"));
        impostor.onNext(request("signet~shop~payments", List.of(INBOUND_8080)));
        server.update(mesh());
        impostor.push();

        assertThat(responses.events())
                .singleElement()
                .isInstanceOfSatisfying(
                        io.grpc.StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void what_no_mesh_could_make_valid_is_refused_at_once_rather_than_held() {
        AdsStream stream = new AdsStream(1, server, responses, chainOf("payments"));
        stream.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl("type.googleapis.com/not.a.Type")
                .setNode(Node.newBuilder().setId("signet~shop~payments"))
                .build());

        assertThat(responses.events())
                .singleElement()
                .isInstanceOfSatisfying(
                        io.grpc.StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    private static DiscoveryRequest request(String node, List<String> names) {
        DiscoveryRequest.Builder request =
                DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.LISTENER).addAllResourceNames(names);
        if (node != null) {
            request.setNode(Node.newBuilder().setId(node));
        }
        return request.build();
    }

    private static MeshPolicies mesh() {
        return MeshPolicies.of(
                MeshPolicies.DEFAULT_ROOT_NAMESPACE,
                new ResourceLoader(new PolicyValidator(MeshPolicies.DEFAULT_ROOT_NAMESPACE))
                        .loadText("mesh.yaml", AdsServerTest.WORKLOADS + "---\n" + AdsServerTest.POLICY)
                        .resources());
    }

    private static List<X509Certificate> chainOf(String serviceAccount) {
        return List.of(TestCa.create(KeyType.EC_P256, new MutableClock(Instant.now()))
                .ca()
                .sign(
                        Csrs.der(Csrs.ecP256()),
                        SpiffeId.forServiceAccount("cluster.local", "shop", serviceAccount),
                        null)
                .leaf());
    }
}
