package dev.signet.controlplane.istio;

import dev.signet.ca.issue.X509Svid;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Istio agents holding a certificate from the Istio CA API, and the trust bundle each was given with it. An Istio
 * agent never watches the bundle: the one that came with its latest certificate (the last element of the chain, which
 * it writes as its root certificate) is what it trusts until it renews. So that is its confirmation for the rotation
 * gates, for as long as that certificate lasts; one that stopped renewing counts until its certificate expires.
 *
 * <p>An agent instance is known by its credential (a projected token is a pod's): its renewal replaces the leaf it
 * was given last, which is how the inventory learns that the old leaf is out of use. Kept in memory: after a restart,
 * each agent's earlier leaf counts as in use until it expires.
 */
public final class IstioAgents {

    private record Holding(String name, BigInteger serial, long bundleVersion, Instant notAfter) {}

    private final Map<String, Holding> byInstance = new ConcurrentHashMap<>();
    private final Clock clock;

    public IstioAgents(Clock clock) {
        this.clock = clock;
    }

    /** The serial of the leaf {@code instance} was given last, if it has not expired. */
    Optional<BigInteger> current(String instance) {
        Holding holding = byInstance.get(instance);
        return holding == null || !holding.notAfter().isAfter(clock.instant())
                ? Optional.empty()
                : Optional.of(holding.serial());
    }

    void issued(String instance, WorkloadIdentity identity, X509Svid svid, long bundleVersion) {
        String name = "istio " + identity.namespace() + "/" + identity.serviceAccount() + " "
                + instance.substring(0, Math.min(instance.length(), 14));
        byInstance.put(instance, new Holding(name, svid.serial(), bundleVersion, svid.notAfter()));
    }

    /** Each agent whose latest certificate is still valid, with the bundle version it was given; expired ones go. */
    public List<WorkloadConfirmation> confirmations() {
        Instant now = clock.instant();
        byInstance.values().removeIf(holding -> !holding.notAfter().isAfter(now));
        return byInstance.values().stream()
                .map(holding -> new WorkloadConfirmation(holding.name(), holding.bundleVersion()))
                .sorted(Comparator.comparing(WorkloadConfirmation::workload))
                .toList();
    }
}
