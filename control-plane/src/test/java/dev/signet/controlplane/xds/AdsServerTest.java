package dev.signet.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.environment.Environment;
import dev.signet.controlplane.standalone.FolderSource;
import dev.signet.controlplane.state.StandaloneEnvironment;
import dev.signet.controlplane.testing.AdsTestClient;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdsServerTest {

    private static final String INBOUND_8080 = "grpc/server?xds.resource.listening_address=0.0.0.0:8080";
    static final String WORKLOADS = """
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: payments, namespace: shop, labels: {app: payments}}
            spec: {serviceAccount: payments, address: 127.0.0.1, ports: [{port: 8080, protocol: GRPC}]}
            ---
            apiVersion: security.signet.dev/v1
            kind: Workload
            metadata: {name: checkout, namespace: shop, labels: {app: checkout}}
            spec: {serviceAccount: checkout, address: 127.0.0.1, ports: [{port: 8081, protocol: GRPC}]}
            """;
    static final String POLICY = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: charge, namespace: shop}
            spec:
              selector: {matchLabels: {app: payments}}
              rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"]}}]}]
            """;

    @TempDir
    Path dir;

    private Path mesh;
    private ControlPlane controlPlane;
    private FolderSource folder;

    @BeforeEach
    void start() throws Exception {
        mesh = dir.resolve("mesh");
        Files.createDirectories(mesh);
        Files.writeString(mesh.resolve("workloads.yaml"), WORKLOADS);
        Files.writeString(mesh.resolve("policy.yaml"), POLICY);
        ControlPlaneConfig config = ControlPlaneConfig.defaults(dir.resolve("state"))
                .withEphemeralPorts()
                .withStandaloneDirectory(mesh)
                // A debounce well above the time the burst test takes to hand over its 20 changes on a busy machine.
                .withTiming(Duration.ofMillis(300), Duration.ofMillis(100));
        Environment environment =
                StandaloneEnvironment.create(config, CryptoProviders.detect(), Clock.systemUTC(), new SecureRandom());
        folder = (FolderSource) environment.mesh();
        controlPlane = ControlPlane.start(config, environment, Clock.systemUTC(), new SecureRandom());
    }

    @AfterEach
    void stop() throws Exception {
        controlPlane.close();
    }

    private AdsTestClient client(String serviceAccount, String nodeId) throws Exception {
        KeyPair keys = Csrs.ecP256();
        X509Svid svid = controlPlane
                .ca()
                .sign(Csrs.der(keys), SpiffeId.forServiceAccount("cluster.local", "shop", serviceAccount), null);
        return new AdsTestClient(
                controlPlane.grpcPort(), controlPlane.trustBundle().roots(), keys.getPrivate(), svid.chain(), nodeId);
    }

    @Test
    void a_proxy_gets_its_own_inbound_listener_and_its_ack_is_recorded() throws Exception {
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            payments.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
            DiscoveryResponse response = payments.response();
            assertThat(response.getResourcesCount()).isEqualTo(1);
            Listener listener = response.getResources(0).unpack(Listener.class);
            assertThat(listener.getName()).isEqualTo(INBOUND_8080);
            assertThat(listener.getFilterChains(0).hasTransportSocket()).isTrue();
            payments.ack(response, List.of(INBOUND_8080));
            awaitInSync("shop/payments", response.getVersionInfo());
            assertThat(controlPlane.proxies().proxies())
                    .singleElement()
                    .satisfies(p -> assertThat(p.identity()).isEqualTo("spiffe://cluster.local/ns/shop/sa/payments"));
        }
    }

    @Test
    void a_proxy_connecting_before_any_valid_policy_was_read_waits_for_it_instead_of_an_empty_mesh() throws Exception {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("workloads.yaml"), WORKLOADS + "---\nkind: [not, yaml: at all\n");
        ControlPlaneConfig config = ControlPlaneConfig.defaults(dir.resolve("state-2"))
                .withEphemeralPorts()
                .withStandaloneDirectory(broken)
                .withTiming(Duration.ofMillis(50), Duration.ofMillis(100));
        try (ControlPlane starting = ControlPlane.start(config, Clock.systemUTC(), new SecureRandom())) {
            assertThat(starting.ready()).isFalse();
            KeyPair keys = Csrs.ecP256();
            X509Svid svid = starting.ca()
                    .sign(Csrs.der(keys), SpiffeId.forServiceAccount("cluster.local", "shop", "payments"), null);
            try (AdsTestClient payments = new AdsTestClient(
                    starting.grpcPort(),
                    starting.trustBundle().roots(),
                    keys.getPrivate(),
                    svid.chain(),
                    "signet~shop~payments")) {
                payments.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
                assertThat(payments.eventWithin(1_000))
                        .as("neither refused as an unknown workload nor sent a listener without its policy")
                        .isNull();

                Files.writeString(broken.resolve("workloads.yaml"), WORKLOADS);
                Files.writeString(broken.resolve("policy.yaml"), POLICY);
                DiscoveryResponse response = payments.response();
                Listener listener = response.getResources(0).unpack(Listener.class);
                assertThat(listener.getName()).isEqualTo(INBOUND_8080);
                assertThat(listener.toString()).contains("cluster.local/ns/shop/sa/checkout");
            }
        }
    }

    @Test
    void a_server_gets_its_listener_under_the_address_it_is_bound_to() throws Exception {
        String v6 = "grpc/server?xds.resource.listening_address=[::]:8080";
        String loopback = "grpc/server?xds.resource.listening_address=127.0.0.1:8080";
        String otherPort = "grpc/server?xds.resource.listening_address=[::]:9999";
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            payments.subscribe(TypeUrls.LISTENER, List.of(v6, loopback, otherPort));
            DiscoveryResponse response = payments.response();
            Map<String, Listener> listeners = new java.util.TreeMap<>();
            for (var resource : response.getResourcesList()) {
                Listener listener = resource.unpack(Listener.class);
                listeners.put(listener.getName(), listener);
            }
            // gRPC-Go asks for [::]:PORT when bound to :PORT, and checks the listener's address is its own.
            assertThat(listeners).containsOnlyKeys(v6, loopback);
            assertThat(listeners.get(v6).getAddress().getSocketAddress().getAddress())
                    .isEqualTo("::");
            assertThat(listeners.get(loopback).getAddress().getSocketAddress().getAddress())
                    .isEqualTo("127.0.0.1");
            assertThat(listeners.get(v6).getFilterChainsList())
                    .isEqualTo(listeners.get(loopback).getFilterChainsList());
        }
    }

    @Test
    void a_node_claiming_another_workload_is_refused() throws Exception {
        try (AdsTestClient impostor = client("checkout", "signet~shop~payments")) {
            impostor.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
            Object event = impostor.eventWithin(10_000);
            assertThat(event).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(e.getStatus().getDescription())
                        .contains("its certificate is spiffe://cluster.local/ns/shop/sa/checkout");
            });
        }
    }

    @Test
    void a_proxy_without_a_certificate_or_with_a_bad_node_id_is_refused() throws Exception {
        try (AdsTestClient anonymous = new AdsTestClient(
                controlPlane.grpcPort(), controlPlane.trustBundle().roots(), null, null, "signet~shop~payments")) {
            anonymous.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
            assertThat(anonymous.eventWithin(10_000))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
        try (AdsTestClient odd = client("payments", "sidecar~10.0.0.1~x")) {
            odd.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
            assertThat(odd.eventWithin(10_000))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
    }

    @Test
    void a_missing_resource_is_answered_at_once_and_another_workloads_inbound_is_never_sent() throws Exception {
        try (AdsTestClient checkout = client("checkout", "signet~shop~checkout")) {
            checkout.subscribe(TypeUrls.LISTENER, List.of("nope.shop:1", INBOUND_8080));
            DiscoveryResponse response = checkout.response();
            assertThat(response.getResourcesCount())
                    .as("payments' port 8080 is not checkout's")
                    .isZero();
        }
    }

    @Test
    void outbound_resources_lead_to_the_server_with_its_spiffe_id_checked() throws Exception {
        try (AdsTestClient checkout = client("checkout", "signet~shop~checkout")) {
            checkout.subscribe(TypeUrls.LISTENER, List.of("payments.shop:8080"));
            assertThat(checkout.response()
                            .getResources(0)
                            .unpack(Listener.class)
                            .hasApiListener())
                    .isTrue();
            checkout.subscribe(TypeUrls.CLUSTER, List.of("outbound|8080||payments.shop"));
            Cluster cluster = checkout.response().getResources(0).unpack(Cluster.class);
            UpstreamTlsContext tls =
                    cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
            assertThat(tls.getCommonTlsContext()
                            .getCombinedValidationContext()
                            .getDefaultValidationContext()
                            .getMatchSubjectAltNames(0)
                            .getExact())
                    .isEqualTo("spiffe://cluster.local/ns/shop/sa/payments");
            checkout.subscribe(TypeUrls.ENDPOINT, List.of("outbound|8080||payments.shop"));
            ClusterLoadAssignment endpoints =
                    checkout.response().getResources(0).unpack(ClusterLoadAssignment.class);
            // gRPC-Go NACKs endpoints without a locality.
            assertThat(endpoints.getEndpoints(0).hasLocality()).isTrue();
            assertThat(endpoints
                            .getEndpoints(0)
                            .getLbEndpoints(0)
                            .getEndpoint()
                            .getAddress()
                            .getSocketAddress()
                            .getPortValue())
                    .isEqualTo(8080);
        }
    }

    @Test
    void a_deployments_pods_are_one_service_by_their_app_label() throws Exception {
        Files.writeString(mesh.resolve("ledger.yaml"), """
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: ledger-7d9f-b, namespace: shop, labels: {app: ledger}}
                spec: {serviceAccount: ledger, address: 10.0.0.2, ports: [{port: 9090, protocol: GRPC}]}
                ---
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: ledger-7d9f-a, namespace: shop, labels: {app.kubernetes.io/name: ledger}}
                spec: {serviceAccount: ledger, address: 10.0.0.1, ports: [{port: 9090, protocol: GRPC}]}
                ---
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: ledger-old, namespace: shop, labels: {app: ledger}}
                spec: {serviceAccount: ledger, address: 10.0.0.3, ports: [{port: 9999, protocol: GRPC}]}
                ---
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: ledger-elsewhere, namespace: bank, labels: {app: ledger}}
                spec: {serviceAccount: ledger, address: 10.0.0.4, ports: [{port: 9090, protocol: GRPC}]}
                """);
        try (AdsTestClient checkout = client("checkout", "signet~shop~checkout")) {
            awaitCondition(
                    "the ledger's workloads",
                    () -> controlPlane
                            .xds()
                            .resources()
                            .mesh()
                            .workload("shop/ledger-7d9f-a")
                            .isPresent());
            checkout.subscribe(TypeUrls.ENDPOINT, List.of("outbound|9090||ledger.shop"));
            ClusterLoadAssignment endpoints =
                    checkout.response().getResources(0).unpack(ClusterLoadAssignment.class);
            // Both replicas with the port, in name order; not the one without the port, nor another namespace's.
            assertThat(endpoints.getEndpoints(0).getLbEndpointsList().stream()
                            .map(e -> e.getEndpoint()
                                    .getAddress()
                                    .getSocketAddress()
                                    .getAddress())
                            .toList())
                    .containsExactly("10.0.0.1", "10.0.0.2");
            checkout.subscribe(TypeUrls.CLUSTER, List.of("outbound|9090||ledger.shop"));
            Cluster cluster = checkout.response().getResources(0).unpack(Cluster.class);
            assertThat(cluster.getTransportSocket()
                            .getTypedConfig()
                            .unpack(UpstreamTlsContext.class)
                            .getCommonTlsContext()
                            .getCombinedValidationContext()
                            .getDefaultValidationContext()
                            .getMatchSubjectAltNamesList())
                    .extracting(StringMatcher::getExact)
                    .containsExactly("spiffe://cluster.local/ns/shop/sa/ledger");
            checkout.subscribe(TypeUrls.LISTENER, List.of("ledger.shop:7777"));
            assertThat(checkout.response().getResourcesList()).isEmpty();
        }
    }

    @Test
    void a_nacked_version_is_not_resent_and_a_change_is_pushed() throws Exception {
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            payments.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
            DiscoveryResponse first = payments.response();
            payments.nack(first, List.of(INBOUND_8080), "pretend this is invalid");
            assertThat(payments.eventWithin(1000))
                    .as("no hot loop: the NACKed version is held")
                    .isNull();
            awaitStatus(
                    "shop/payments",
                    s -> first.getVersionInfo().equals(s.nackedVersion())
                            && "pretend this is invalid".equals(s.nackError()));

            Files.writeString(mesh.resolve("policy.yaml"), POLICY.replace("sa/checkout", "sa/other"));
            DiscoveryResponse pushed = payments.response();
            assertThat(pushed.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
            assertThat(Any.pack(pushed.getResources(0).unpack(Listener.class)).toString())
                    .contains("sa/other");
            payments.ack(pushed, List.of(INBOUND_8080));
            awaitInSync("shop/payments", pushed.getVersionInfo());
        }
    }

    @Test
    void an_invalid_edit_keeps_the_last_good_configuration_in_force() throws Exception {
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            payments.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
            DiscoveryResponse first = payments.response();
            payments.ack(first, List.of(INBOUND_8080));
            Files.writeString(mesh.resolve("policy.yaml"), POLICY.replace("principals:", "principalz:"));
            assertThat(payments.eventWithin(1500))
                    .as("nothing pushed for an invalid edit")
                    .isNull();
            assertThat(folder.lastDiagnostics())
                    .anySatisfy(d -> assertThat(d.field()).isEqualTo("spec.rules[0].from[0].source.principalz"));
            Files.writeString(mesh.resolve("policy.yaml"), POLICY.replace("sa/checkout", "sa/fixed"));
            assertThat(payments.response().getVersionInfo()).isNotEqualTo(first.getVersionInfo());
        }
    }

    @Test
    void a_burst_of_changes_is_coalesced_into_one_push() throws Exception {
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            payments.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
            DiscoveryResponse first = payments.response();
            payments.ack(first, List.of(INBOUND_8080));
            var base = controlPlane.xds().mesh();
            var loader = new dev.signet.policy.load.ResourceLoader(
                    new dev.signet.policy.validate.PolicyValidator("signet-system"));
            List<dev.signet.policy.select.MeshPolicies> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                var changed = loader.loadText("burst.yaml", POLICY.replace("sa/checkout", "sa/burst" + i))
                        .resources()
                        .get(0);
                burst.add(base.withAuthorizationPolicy(changed));
            }
            long pushesBefore = controlPlane.xds().pushCount();
            burst.forEach(controlPlane.xds()::update);
            DiscoveryResponse pushed = payments.response();
            assertThat(Any.pack(pushed.getResources(0).unpack(Listener.class)).toString())
                    .contains("sa/burst19");
            assertThat(payments.eventWithin(500))
                    .as("one push for the burst, with the last state")
                    .isNull();
            assertThat(controlPlane.xds().pushCount() - pushesBefore).isEqualTo(1);
        }
    }

    @Test
    void the_same_mesh_handed_over_again_is_not_pushed_but_an_equal_new_one_is_checked() throws Exception {
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            payments.subscribe(TypeUrls.LISTENER, List.of(INBOUND_8080));
            payments.ack(payments.response(), List.of(INBOUND_8080));
            Thread.sleep(500); // the start's own push, debounced, may not have run yet
            var same = controlPlane.xds().mesh();
            long pushesBefore = controlPlane.xds().pushCount();
            controlPlane.xds().update(same);
            Thread.sleep(500); // five debounces: a push would have run
            assertThat(controlPlane.xds().pushCount() - pushesBefore)
                    .as("a source that rebuilt nothing new (a status write) costs no push")
                    .isZero();
            // A rebuilt mesh equal in content is a new instance: it is pushed, and the proxy is sent nothing.
            var policy = same.allAuthorizationPolicies().get(0);
            controlPlane.xds().update(same.withAuthorizationPolicy(policy.resource(), policy.sequence()));
            Thread.sleep(500);
            assertThat(controlPlane.xds().pushCount() - pushesBefore).isEqualTo(1);
            assertThat(payments.eventWithin(500))
                    .as("same content, same version")
                    .isNull();
        }
    }

    @Test
    void a_stream_without_a_certificate_is_refused_before_it_asks_for_anything() throws Exception {
        try (AdsTestClient anonymous = new AdsTestClient(
                controlPlane.grpcPort(), controlPlane.trustBundle().roots(), null, null, "signet~shop~payments")) {
            assertThat(anonymous.eventWithin(10_000))
                    .as("no request sent")
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void unknown_types_and_oversized_name_lists_end_the_stream_and_other_xds_types_are_answered_empty()
            throws Exception {
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            payments.subscribe(
                    "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", List.of("default"));
            assertThat(payments.response().getResourcesCount()).isZero();
            payments.subscribe("type.googleapis.com/google.protobuf.Empty", List.of());
            assertThat(payments.eventWithin(10_000)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains("unknown resource type");
            });
        }
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            List<String> names = java.util.stream.IntStream.range(0, AdsStream.MAX_NAMES + 1)
                    .mapToObj(i -> "outbound|" + i)
                    .toList();
            payments.subscribe(TypeUrls.CLUSTER, names);
            assertThat(payments.eventWithin(10_000))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getDescription()).contains("at most " + AdsStream.MAX_NAMES));
        }
        awaitCondition(
                "every refused stream is let go",
                () -> controlPlane.proxies().proxies().isEmpty());
    }

    @Test
    void nacks_keep_the_stream_and_a_cancelled_stream_is_let_go() throws Exception {
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            for (int i = 0; i < 20; i++) {
                List<String> names = List.of(INBOUND_8080, "extra-" + i);
                payments.subscribe(TypeUrls.LISTENER, names);
                DiscoveryResponse response = payments.response();
                payments.nack(response, names, "rejected " + i + ": " + "x".repeat(5000));
            }
            assertThat(payments.eventWithin(300)).as("the stream stays open").isNull();
            awaitStatus(
                    "shop/payments",
                    status -> status.nackError() != null
                            && status.nackError().startsWith("rejected 19")
                            && status.nackError().length() < 600);
        }
        awaitCondition(
                "the cancelled stream is let go",
                () -> controlPlane.proxies().proxies().isEmpty());
    }

    @Test
    void distinct_name_sets_are_answered_but_only_a_bounded_number_is_kept() throws Exception {
        try (AdsTestClient payments = client("payments", "signet~shop~payments")) {
            for (int i = 0; i < ProxyResources.MAX_SNAPSHOTS + 100; i++) {
                payments.subscribe(TypeUrls.CLUSTER, List.of("outbound|" + i + "||nowhere.shop"));
                payments.response();
            }
        }
        ProxyResources resources =
                controlPlane.xds().resources().forWorkload("shop/payments").orElseThrow();
        assertThat(resources.snapshotsKept()).isEqualTo(ProxyResources.MAX_SNAPSHOTS);
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    private void awaitInSync(String workload, String version) {
        awaitStatus(workload, s -> version.equals(s.ackedVersion()) && s.inSync());
    }

    private void awaitStatus(String workload, java.util.function.Predicate<ProxyStatus.TypeStatus> condition) {
        awaitCondition(
                workload + "'s LDS status",
                () -> controlPlane.proxies().proxies().stream()
                        .filter(p -> p.workload().equals(workload))
                        .map(p -> p.types().get("LDS"))
                        .anyMatch(s -> s != null && condition.test(s)));
    }
}
