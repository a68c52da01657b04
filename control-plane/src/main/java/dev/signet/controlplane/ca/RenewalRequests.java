package dev.signet.controlplane.ca;

import dev.signet.ca.bundle.TrustBundle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Asks the connected agents that hold a leaf under an authority to renew, each at a moment drawn within a spread:
 * how a rotation moves the mesh off a root without more issuance a second than its cap.
 */
public final class RenewalRequests {

    private static final Logger LOG = Logger.getLogger(RenewalRequests.class.getName());

    /** Who holds leaves under an authority at a time, by SPIFFE ID URI. */
    public interface Holders {
        Set<String> under(String authorityId, Instant t);
    }

    private final Holders holders;
    private final TrustBundleWatchers agents;
    private final String trustDomain;
    private final Clock clock;
    private final RandomGenerator random;

    public RenewalRequests(
            Holders holders, TrustBundleWatchers agents, String trustDomain, Clock clock, RandomGenerator random) {
        this.holders = holders;
        this.agents = agents;
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.random = random;
    }

    public void ask(String authorityId, TrustBundle current, Duration spread) {
        Set<String> holding = holders.under(authorityId, clock.instant());
        int asked = agents.requestRenewal(
                current,
                spread,
                random,
                identity -> holding.contains(identity.spiffeId(trustDomain).uri()));
        LOG.info(() -> "asked " + asked + " agents to renew within " + spread.toMillis() + " ms (" + holding.size()
                + " identities hold leaves to replace)");
    }
}
