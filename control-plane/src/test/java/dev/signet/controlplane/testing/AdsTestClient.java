package dev.signet.controlplane.testing;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bare ADS client for protocol tests: send requests by hand, read responses and the stream's end. */
public final class AdsTestClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final BlockingQueue<Object> events;
    private final StreamObserver<DiscoveryRequest> requests;
    private final String nodeId;

    public AdsTestClient(
            int port, List<X509Certificate> roots, PrivateKey key, List<X509Certificate> chain, String nodeId)
            throws Exception {
        SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(roots.toArray(new X509Certificate[0]));
        if (key != null) {
            tls.keyManager(key, chain.toArray(new X509Certificate[0]));
        }
        this.channel = NettyChannelBuilder.forTarget("localhost:" + port)
                .sslContext(tls.build())
                .build();
        this.nodeId = nodeId;
        RecordingObserver<DiscoveryResponse> recorder = new RecordingObserver<>();
        this.events = recorder.events();
        this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(recorder);
    }

    public void request(String typeUrl, List<String> names, String version, String nonce, String error) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
                .setTypeUrl(typeUrl)
                .addAllResourceNames(names)
                .setVersionInfo(version)
                .setResponseNonce(nonce)
                .setNode(Node.newBuilder().setId(nodeId));
        if (error != null) {
            request.setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(error));
        }
        requests.onNext(request.build());
    }

    public void subscribe(String typeUrl, List<String> names) {
        request(typeUrl, names, "", "", null);
    }

    public void ack(DiscoveryResponse response, List<String> names) {
        request(response.getTypeUrl(), names, response.getVersionInfo(), response.getNonce(), null);
    }

    public void nack(DiscoveryResponse response, List<String> names, String error) {
        request(response.getTypeUrl(), names, "", response.getNonce(), error);
    }

    /** The next response, failing the test on a stream error or after 10 s. */
    public DiscoveryResponse response() throws Exception {
        Object event = events.poll(10, TimeUnit.SECONDS);
        if (event instanceof DiscoveryResponse response) {
            return response;
        }
        throw new AssertionError("expected a response, got " + event);
    }

    /** The next event if one arrives within {@code millis}, else null. */
    public Object eventWithin(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
