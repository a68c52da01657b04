package dev.signet.controlplane.replicas;

import dev.signet.ca.authority.AuthorityIds;
import dev.signet.ca.inventory.IssuedLeaves;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ca.RenewalRequests;
import dev.signet.controlplane.environment.PeerReplicas;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who holds leaves under an authority anywhere: in this replica's inventory and in the other replicas' reports. A
 * replica that is gone (a rolled Deployment's old pod) issued leaves that only its report names; their holders have
 * reconnected to the replicas that stay, which must ask them to renew, or a rotation's gate waits for their expiry.
 */
public final class MeshLeafHolders implements RenewalRequests.Holders {

    private final IssuedLeaves own;
    private final PeerReplicas peers;

    public MeshLeafHolders(IssuedLeaves own, PeerReplicas peers) {
        this.own = own;
        this.peers = peers;
    }

    @Override
    public Set<String> under(String authorityId, Instant t) {
        Set<String> holders = own.holdersUnder(authorityId, t).stream()
                .map(SpiffeId::uri)
                .collect(Collectors.toCollection(HashSet::new));
        OtherReplicas others = peers.others();
        if (others.reports().isEmpty()) {
            return holders; // alone: no other replica's leaves to net of replacements
        }
        Set<ReplicaReport.Replaced> replaced = new HashSet<>();
        own.replacements()
                .forEach(r -> replaced.add(new ReplicaReport.Replaced(
                        r.serial().toString(16), r.holder().uri())));
        others.reports().values().forEach(report -> replaced.addAll(report.replaced()));
        ReplicaObservations.inUse(
                        List.copyOf(others.reports().values()), id -> AuthorityIds.covers(authorityId, id), replaced, t)
                .values()
                .forEach(leaf -> holders.add(leaf.holder()));
        return holders;
    }
}
