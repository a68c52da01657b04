package dev.signet.controlplane.replicas;

import dev.signet.ca.inventory.IssuedLeaves;
import dev.signet.ca.jwt.JwtSvidLedger;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.environment.BundleCoverage;
import dev.signet.controlplane.environment.PeerReplicas;
import dev.signet.controlplane.rotation.Observations;
import dev.signet.controlplane.rotation.RotationController;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a rotation's gates are judged on, gathered: this replica's report (the confirmations of the workloads it
 * serves, agents and Istio agents alike, and its leaves in use) merged with what the other replicas reported, and how far the bundle reached. Alone, the merge is with zero
 * peers: one way to count, whatever the deployment.
 */
public final class GateObservations implements RotationController.Observer {

    /** The name this replica's own report goes by in the merge. */
    private static final String SELF = "this replica";

    private final Supplier<List<WorkloadConfirmation>> workloads;
    private final IssuedLeaves leaves;
    private final JwtSvidLedger jwtSvids;
    private final BundleCoverage coverage;
    private final PeerReplicas peers;
    private final String replicas;
    private final Clock clock;

    /** {@code replicas} is the control plane's identity, which its replicas' serving certificates carry. */
    public GateObservations(
            Supplier<List<WorkloadConfirmation>> workloads,
            IssuedLeaves leaves,
            JwtSvidLedger jwtSvids,
            BundleCoverage coverage,
            PeerReplicas peers,
            SpiffeId replicas,
            Clock clock) {
        this.replicas = replicas.uri();
        this.workloads = workloads;
        this.leaves = leaves;
        this.jwtSvids = jwtSvids;
        this.coverage = coverage;
        this.peers = peers;
        this.clock = clock;
    }

    @Override
    public Observations observe(String oldRoot, Optional<String> crossLinked, long bundleVersion) {
        Instant now = clock.instant();
        OtherReplicas others = peers.others();
        // Replacements only matter against another replica's leaves; alone, this replica's own are already net of them.
        ReplicaReport own = others.reports().isEmpty()
                ? ReplicaReport.ofLeavesInUse(SELF, now, workloads.get(), leaves, jwtSvids.validAt(now))
                : report(SELF, now);
        return ReplicaObservations.merge(
                workloads.get(), coverage.coverage(bundleVersion), own, others, oldRoot, crossLinked, replicas, now);
    }

    /** What this replica observed, under the name the other replicas shall know it by. */
    public ReplicaReport report(String replica, Instant now) {
        return ReplicaReport.of(replica, now, workloads.get(), leaves, jwtSvids.validAt(now));
    }
}
