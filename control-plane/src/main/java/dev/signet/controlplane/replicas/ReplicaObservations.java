package dev.signet.controlplane.replicas;

import dev.signet.ca.authority.AuthorityIds;
import dev.signet.controlplane.rotation.NamespaceCoverage;
import dev.signet.controlplane.rotation.Observations;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The gates' view of the whole mesh from every replica's report. Confirmations count only from replicas heard from
 * within {@code fresh} (a dead replica's agents have reconnected elsewhere); leaves count from every report until they
 * expire, since a dead replica's leaves are still held, but for the serving certificates of the replicas themselves
 * (held by {@code replicas}, the control plane's identity), which count only from replicas heard from within
 * {@code fresh}: they die with their replica. A leaf is counted once however many reports name it (a restarted
 * replica reports its journal again), and not at all once any replica was told it was replaced.
 *
 * <p>A report that cannot be read holds every gate, the way policies fail closed: it stands for a workload that has
 * confirmed nothing and a leaf under the old root, both named after its ConfigMap, until it is mended or deleted.
 */
public final class ReplicaObservations {

    private static final int NAMED = 10;

    private ReplicaObservations() {}

    /**
     * The gates' view from this replica's agents ({@code local}) and namespaces, its own report {@code own} (for
     * its leaves) and {@code others}.
     */
    public static Observations merge(
            List<WorkloadConfirmation> local,
            NamespaceCoverage namespaces,
            ReplicaReport own,
            OtherReplicas others,
            String oldRoot,
            Optional<String> crossLinked,
            String replicas,
            Instant now) {
        List<WorkloadConfirmation> workloads = new ArrayList<>(local);
        List<String> unheard = others.unreadable().stream()
                .sorted()
                .map(name -> "replica report " + name + " (unreadable)")
                .toList();
        unheard.forEach(name -> workloads.add(new WorkloadConfirmation(name, 0)));
        List<ReplicaReport> all = new ArrayList<>();
        for (ReplicaReport other : others.reports().values()) {
            if (!other.at().plus(others.fresh()).isBefore(now)) {
                workloads.addAll(other.workloads());
                all.add(other);
            } else {
                all.add(other.withoutLeavesOf(replicas));
            }
        }
        all.add(own);
        Set<ReplicaReport.Replaced> replaced = new HashSet<>();
        all.forEach(report -> replaced.addAll(report.replaced()));
        Map<String, ReplicaReport.Leaf> old = inUse(all, id -> AuthorityIds.covers(oldRoot, id), replaced, now);
        Map<String, ReplicaReport.Leaf> linked = crossLinked
                .map(link -> inUse(all, id -> AuthorityIds.covers(link, id), replaced, now))
                .orElse(Map.of());
        List<String> oldHolders = new ArrayList<>(unheard);
        oldHolders.addAll(named(old));
        return new Observations(
                workloads,
                namespaces.published(),
                namespaces.total(),
                old.size() + unheard.size(),
                oldHolders.subList(0, Math.min(NAMED, oldHolders.size())),
                linked.size(),
                named(linked),
                jwtSvidsValidFor(all, oldRoot, now));
    }

    /** How much longer a JWT-SVID any replica signed under {@code oldRoot} may be valid (zero: none is). */
    static java.time.Duration jwtSvidsValidFor(List<ReplicaReport> reports, String oldRoot, Instant now) {
        Instant last = now;
        for (ReplicaReport report : reports) {
            for (Map.Entry<String, Instant> entry : report.jwtSvids().entrySet()) {
                if (AuthorityIds.covers(oldRoot, entry.getKey())
                        && entry.getValue().isAfter(last)) {
                    last = entry.getValue();
                }
            }
        }
        return java.time.Duration.between(now, last);
    }

    /** The leaves of {@code reports} under a matching authority, unexpired and not replaced, once each by serial. */
    static Map<String, ReplicaReport.Leaf> inUse(
            List<ReplicaReport> reports,
            Predicate<String> authority,
            Set<ReplicaReport.Replaced> replaced,
            Instant now) {
        Map<String, ReplicaReport.Leaf> bySerial = new LinkedHashMap<>();
        for (ReplicaReport report : reports) {
            report.leaves().forEach((id, leaves) -> {
                if (authority.test(id)) {
                    // Out of use only when its own holder said so: naming another identity's serial gives nothing up.
                    leaves.stream()
                            .filter(leaf -> leaf.notAfter().isAfter(now)
                                    && !replaced.contains(new ReplicaReport.Replaced(leaf.serial(), leaf.holder())))
                            .forEach(leaf -> bySerial.putIfAbsent(leaf.serial(), leaf));
                }
            });
        }
        return bySerial;
    }

    /** Holders as status names them, soonest expiry first. */
    private static List<String> named(Map<String, ReplicaReport.Leaf> leaves) {
        return leaves.values().stream()
                .sorted(Comparator.comparing(ReplicaReport.Leaf::notAfter))
                .limit(NAMED)
                .map(leaf -> leaf.holder() + " (serial " + leaf.serial() + ")")
                .toList();
    }
}
