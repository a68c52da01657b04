package dev.signet.controlplane.xds;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import dev.signet.controlplane.server.Discarding;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Jazzer fuzz target over what an authenticated proxy can send on its ADS stream: bytes parsed as the
 * DiscoveryRequest gRPC would hand over, then handled by one stream of checkout's, as after its mTLS handshake. Plain
 * test runs replay {@code AdsRequestFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for ten minutes. The property:
 * every request is answered, refused or ignored without an exception escaping the handler.
 */
class AdsRequestFuzzTest {

    private static final String MESH = AdsServerTest.WORKLOADS + "---\n" + AdsServerTest.POLICY;
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fuzz-xds");
        thread.setDaemon(true);
        return thread;
    });
    private static final XdsServer SERVER = new XdsServer(
            "cluster.local", new ProxyStatusRegistry(Clock.systemUTC()), SCHEDULER, Duration.ofMillis(100));

    static {
        SERVER.update(MeshPolicies.of(
                MeshPolicies.DEFAULT_ROOT_NAMESPACE,
                new ResourceLoader(new PolicyValidator(MeshPolicies.DEFAULT_ROOT_NAMESPACE))
                        .loadText("mesh.yaml", MESH)
                        .resources()));
    }

    private static final List<X509Certificate> CHECKOUT = List.of(TestCa.create(
                    KeyType.EC_P256, new MutableClock(Instant.now()))
            .ca()
            .sign(Csrs.der(Csrs.ecP256()), SpiffeId.forServiceAccount("cluster.local", "shop", "checkout"), null)
            .leaf());
    private static final StreamObserver<DiscoveryResponse> DISCARD = new Discarding<>();

    @FuzzTest(maxDuration = "10m")
    void handle(byte[] input) {
        DiscoveryRequest request;
        try {
            request = DiscoveryRequest.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            return; // gRPC refuses what does not parse before any handler sees it
        }
        AdsStream stream = new AdsStream(1, SERVER, DISCARD, CHECKOUT);
        stream.handle(request);
        // A second request on the same stream: the nonce and subscription paths.
        stream.handle(request.toBuilder().setResponseNonce("1").build());
        stream.onCompleted();
    }
}
