package dev.signet.controlplane.rotation;

import java.time.Instant;

/** A gate an admin passed by hand: which phase it held, why it was forced, and when. Kept in status for good. */
public record ForcedGate(RotationPhase phase, String reason, Instant at) {}
