package dev.signet.controlplane.xds;

import dev.signet.controlplane.ca.CallCredentials;
import dev.signet.policy.select.MeshPolicies;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current mesh and the connected streams; a new mesh is pushed after a debounce, so that a burst of
 * edits becomes one push.
 *
 * <p>Until its source has handed over a first mesh, the server answers nobody: a replica that has just started (its
 * informers still listing) would otherwise answer the proxies reconnecting to it from an empty mesh, refusing each
 * as an unknown workload, or worse, sending it a configuration without its policies. Their requests are held and
 * answered once the mesh is there; meanwhile the proxies keep the configuration they have.
 */
public final class XdsServer {

    private final String trustDomain;
    private final AtomicReference<ProxyResourcesCache> current;
    private final Set<AdsStream> streams = ConcurrentHashMap.newKeySet();
    private final ProxyStatusRegistry registry;
    private final ScheduledExecutorService scheduler;
    private final Duration debounce;
    private final AtomicBoolean pushPending = new AtomicBoolean();
    private final AtomicLong streamIds = new AtomicLong();
    private final AtomicLong pendingSince = new AtomicLong();
    private volatile boolean meshKnown;
    private final java.util.concurrent.atomic.LongAdder pushes = new java.util.concurrent.atomic.LongAdder();
    private final dev.signet.controlplane.metrics.LatencyHistogram pushLatency =
            new dev.signet.controlplane.metrics.LatencyHistogram();

    /** Serves no mesh until its source hands over the first one ({@link #update}); streams wait for it. */
    public XdsServer(
            String trustDomain, ProxyStatusRegistry registry, ScheduledExecutorService scheduler, Duration debounce) {
        this.trustDomain = trustDomain;
        this.current = new AtomicReference<>(new ProxyResourcesCache(MeshPolicies.empty(), trustDomain));
        this.registry = registry;
        this.scheduler = scheduler;
        this.debounce = debounce;
    }

    public MeshPolicies mesh() {
        return current.get().mesh();
    }

    /** Whether a mesh is being served: false from start until the source's first one arrives. */
    public boolean meshKnown() {
        return meshKnown;
    }

    /** The current mesh's compiled resources cache (one per mesh version). */
    ProxyResourcesCache resources() {
        return current.get();
    }

    public String trustDomain() {
        return trustDomain;
    }

    public ProxyStatusRegistry registry() {
        return registry;
    }

    /** Installs a new mesh; connected proxies get what changed for them once the debounce has passed. */
    public void update(MeshPolicies next) {
        if (meshKnown && next == current.get().mesh()) {
            // The source rebuilt and found nothing changed (a policy's status written, a Pod's unrelated field):
            // a new cache would only compile every workload again to send nobody anything.
            return;
        }
        current.updateAndGet(cache -> cache.next(next));
        meshKnown = true;
        if (pushPending.compareAndSet(false, true)) {
            pendingSince.set(System.nanoTime());
            scheduler.schedule(
                    () -> {
                        pushPending.set(false);
                        ProxyResourcesCache pushed = current.get();
                        // Each stream compiles and sends its own; they share nothing but the cache, so all cores
                        // take part (a stream's push is synchronized on that stream alone).
                        streams.parallelStream().forEach(AdsStream::push);
                        pushed.forgetBefore();
                        long took = System.nanoTime() - pendingSince.get();
                        pushLatency.observeNanos(took);
                        pushes.increment();
                    },
                    debounce.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Pushes done and their total duration: from the first change of a burst to every stream sent. */
    public long pushCount() {
        return pushes.sum();
    }

    /** Each push's duration, from the first change of a burst to every stream sent. */
    public dev.signet.controlplane.metrics.LatencyHistogram.Snapshot pushLatency() {
        return pushLatency.snapshot();
    }

    void closed(AdsStream stream) {
        streams.remove(stream);
    }

    /** The ADS service to register on the control plane's port (behind {@link CallCredentials}). */
    public AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase service() {
        return new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
            @Override
            public StreamObserver<DiscoveryRequest> streamAggregatedResources(
                    StreamObserver<DiscoveryResponse> responses) {
                java.util.List<java.security.cert.X509Certificate> chain = CallCredentials.PEER_CHAIN.get();
                if (chain == null || chain.isEmpty()) {
                    // Refused before it holds anything: an idle stream without a certificate would hold memory.
                    AdsStream.refuseAtOnce(
                            responses,
                            io.grpc.Status.UNAUTHENTICATED,
                            "connect with the workload's certificate (mTLS) to receive its configuration");
                    return new dev.signet.controlplane.server.Discarding<>();
                }
                AdsStream stream = new AdsStream(streamIds.incrementAndGet(), XdsServer.this, responses, chain);
                streams.add(stream);
                if (responses instanceof io.grpc.stub.ServerCallStreamObserver<DiscoveryResponse> call) {
                    // However the call ends (a reset, a cancel, a failure inside gRPC), the stream is let go.
                    call.setOnCancelHandler(stream::ended);
                    call.setOnCloseHandler(stream::ended);
                }
                return stream;
            }
        };
    }
}
