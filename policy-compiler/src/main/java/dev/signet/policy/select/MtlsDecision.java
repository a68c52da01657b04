package dev.signet.policy.select;

import dev.signet.policy.model.MtlsMode;

/** The effective mTLS mode of one port and what decided it ({@code default}, or the policy and its level). */
public record MtlsDecision(MtlsMode mode, String decidedBy) {
    public static final MtlsDecision DEFAULT = new MtlsDecision(MtlsMode.PERMISSIVE, "default (no PeerAuthentication)");
}
