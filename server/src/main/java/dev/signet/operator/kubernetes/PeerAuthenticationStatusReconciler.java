package dev.signet.operator.kubernetes;

import dev.signet.operator.crd.PeerAuthenticationResource;
import java.time.Clock;

/** Status and Events of PeerAuthentications. */
final class PeerAuthenticationStatusReconciler extends PolicyStatusReconciler<PeerAuthenticationResource> {

    PeerAuthenticationStatusReconciler(ClusterSource source, ResourceEvents events, Clock clock) {
        super(source, events, clock, ModelMapping::peerAuthentication, PeerAuthenticationResource::new);
    }
}
