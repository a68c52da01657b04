package dev.signet.controlplane.ca;

import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.inventory.IssuedLeaves;
import dev.signet.ca.spiffe.SpiffeId;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Asks the connected agents that hold a leaf under an authority to renew, each at a moment drawn within a spread:
 * how a rotation moves the mesh off a root without more issuance a second than its cap.
 */
public final class RenewalRequests {

    private static final Logger LOG = Logger.getLogger(RenewalRequests.class.getName());

    private final IssuedLeaves leaves;
    private final TrustBundleWatchers agents;
    private final String trustDomain;
    private final Clock clock;
    private final RandomGenerator random;

    public RenewalRequests(
            IssuedLeaves leaves, TrustBundleWatchers agents, String trustDomain, Clock clock, RandomGenerator random) {
        this.leaves = leaves;
        this.agents = agents;
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.random = random;
    }

    public void ask(String authorityId, TrustBundle current, Duration spread) {
        Set<SpiffeId> holders = leaves.holdersUnder(authorityId, clock.instant());
        int asked = agents.requestRenewal(
                current, spread, random, identity -> holders.contains(identity.spiffeId(trustDomain)));
        LOG.info(() -> "asked " + asked + " agents to renew within " + spread.toMillis() + " ms (" + holders.size()
                + " identities hold leaves to replace)");
    }
}
