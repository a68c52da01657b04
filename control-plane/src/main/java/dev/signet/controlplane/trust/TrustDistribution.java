package dev.signet.controlplane.trust;

import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.controlplane.ca.RenewalRequests;
import dev.signet.controlplane.ca.TrustBundleWatchers;
import dev.signet.controlplane.environment.BundlePublisher;
import dev.signet.controlplane.rotation.RotationController;
import java.io.IOException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a rotation's phase changes do, in one direction: the new signer and bundle go into {@link CurrentTrust} (the CA
 * and the serving certificate read them there), the bundle is published for workloads that start later and sent to
 * the connected agents; renewal requests go to the holders of the leaves being replaced.
 */
public final class TrustDistribution implements RotationController.Effects {

    private static final Logger LOG = Logger.getLogger(TrustDistribution.class.getName());

    private final CurrentTrust current;
    private final BundlePublisher publisher;
    private final TrustBundleWatchers agents;
    private final RenewalRequests renewals;

    public TrustDistribution(
            CurrentTrust current, BundlePublisher publisher, TrustBundleWatchers agents, RenewalRequests renewals) {
        this.current = current;
        this.publisher = publisher;
        this.agents = agents;
        this.renewals = renewals;
    }

    @Override
    public void apply(SigningAuthority signer, TrustBundle bundle) {
        TrustBundle before = current.set(signer, bundle);
        publish(bundle);
        // Agents are sent the bundle when they connect; a phase that changes only the signer (ACTIVATE) leaves it as
        // it is, and sending it again to every agent would only delay the renewal requests that follow.
        if (!bundle.equals(before)) {
            agents.publish(bundle);
        }
    }

    @Override
    public void requestRenewal(String authorityId, TrustBundle bundle, Duration spread) {
        renewals.ask(authorityId, bundle, spread);
    }

    private void publish(TrustBundle bundle) {
        try {
            publisher.publish(bundle);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "publishing trust bundle v" + bundle.version() + " failed", e);
        }
    }
}
