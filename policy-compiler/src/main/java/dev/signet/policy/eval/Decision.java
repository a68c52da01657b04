package dev.signet.policy.eval;

import java.util.List;
import java.util.Optional;

/**
 * The verdict, why, and which rule (if any) decided it; AUDIT matches and dry-run results are reported beside it,
 * never in it.
 */
public record Decision(
        Verdict verdict,
        String reason,
        Optional<PolicyMatch> decidedBy,
        List<PolicyMatch> audited,
        List<String> dryRun) {

    public enum Verdict {
        ALLOW,
        DENY
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }
}
