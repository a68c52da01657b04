package dev.signet.controlplane.xds;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Connected proxies and their ACK/NACK state, keyed by stream; counters for the metrics endpoint. Thread-safe. */
public final class ProxyStatusRegistry {

    private final Clock clock;
    private final Map<Long, ProxyStatus> byStream = new ConcurrentHashMap<>();
    private final LongAdder acks = new LongAdder();
    private final LongAdder nacks = new LongAdder();
    private final Map<String, LongAdder> nacksByType = new java.util.concurrent.ConcurrentHashMap<>();

    public ProxyStatusRegistry(Clock clock) {
        this.clock = clock;
    }

    void connected(long stream, NodeId node, String identity) {
        byStream.put(stream, new ProxyStatus(node.id(), node.workloadKey(), identity, clock.instant(), Map.of()));
    }

    void disconnected(long stream) {
        byStream.remove(stream);
    }

    void sent(long stream, String typeUrl, String version) {
        update(
                stream,
                typeUrl,
                previous -> new ProxyStatus.TypeStatus(
                        version,
                        previous.ackedVersion(),
                        previous.nackedVersion(),
                        previous.nackError(),
                        clock.instant()));
    }

    void acked(long stream, String typeUrl, String version) {
        acks.increment();
        update(
                stream,
                typeUrl,
                previous -> new ProxyStatus.TypeStatus(
                        previous.sentVersion(),
                        version,
                        previous.nackedVersion(),
                        previous.nackError(),
                        clock.instant()));
    }

    void nacked(long stream, String typeUrl, String version, String error) {
        nacks.increment();
        nacksByType
                .computeIfAbsent(TypeUrls.shortName(typeUrl), type -> new LongAdder())
                .increment();
        update(
                stream,
                typeUrl,
                previous -> new ProxyStatus.TypeStatus(
                        previous.sentVersion(), previous.ackedVersion(), version, error, clock.instant()));
    }

    private void update(long stream, String typeUrl, java.util.function.UnaryOperator<ProxyStatus.TypeStatus> change) {
        byStream.computeIfPresent(stream, (id, status) -> {
            Map<String, ProxyStatus.TypeStatus> types = new TreeMap<>(status.types());
            ProxyStatus.TypeStatus previous = types.getOrDefault(
                    TypeUrls.shortName(typeUrl), new ProxyStatus.TypeStatus(null, null, null, null, clock.instant()));
            types.put(TypeUrls.shortName(typeUrl), change.apply(previous));
            return new ProxyStatus(
                    status.nodeId(), status.workload(), status.identity(), status.connectedAt(), Map.copyOf(types));
        });
    }

    public List<ProxyStatus> proxies() {
        return byStream.values().stream()
                .sorted(java.util.Comparator.comparing(ProxyStatus::nodeId))
                .toList();
    }

    public long ackCount() {
        return acks.sum();
    }

    public long nackCount() {
        return nacks.sum();
    }

    /** NACKs of one type ({@code LDS}, {@code CDS}, ...). */
    public long nackCount(String type) {
        LongAdder count = nacksByType.get(type);
        return count == null ? 0 : count.sum();
    }
}
