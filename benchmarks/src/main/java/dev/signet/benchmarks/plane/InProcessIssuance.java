package dev.signet.benchmarks.plane;

import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.config.ServeSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The rotation report's reference: issuing as many certificates in-process as the rotation renews, on a control plane
 * of its own so that its leaves (held by no agent) stay out of the rotation's inventory.
 */
final class InProcessIssuance {

    private InProcessIssuance() {}

    /**
     * Seconds to issue {@code count} certificates, the median of five rounds after three to warm up, as the rotations
     * it is compared with are measured after theirs.
     */
    static double medianSeconds(Path state, int count) throws Exception {
        try (ControlPlane probe = ControlPlane.startEphemeral(state)) {
            for (int round = 0; round < 3; round++) {
                issue(probe, count);
            }
            double[] rounds = new double[5];
            for (int round = 0; round < rounds.length; round++) {
                rounds[round] = issue(probe, count);
            }
            Arrays.sort(rounds);
            return rounds[rounds.length / 2];
        }
    }

    private static double issue(ControlPlane controlPlane, int count) {
        List<String> csrs = BenchCsrs.many(count);
        SpiffeId id = SpiffeId.forServiceAccount(ServeSettings.DEFAULT_TRUST_DOMAIN, "bench", "reference");
        long start = System.nanoTime();
        for (String csr : csrs) {
            controlPlane.ca().sign(csr.getBytes(), id, null);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
