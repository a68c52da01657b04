package dev.signet.operator.kubernetes;

/**
 * Every condition type, condition reason and Event reason Signet writes, in one place: they are what users, kstatus
 * and GitOps tools match on, so each is spelled once.
 */
final class Reasons {

    // Condition types.
    static final String ACCEPTED = "Accepted";
    static final String READY = "Ready";
    static final String PROGRESSING = "Progressing";
    static final String ROOT_EXPIRING = "RootExpiring";
    /** kstatus' abnormal-true types: True while work is under way, True when it cannot go on without a change. */
    static final String RECONCILING = "Reconciling";

    static final String STALLED = "Stalled";

    // A policy's reasons.
    static final String VALID = "Valid";
    static final String INVALID_SPEC = "InvalidSpec";
    static final String PENDING = "Pending";
    static final String IN_FORCE = "InForce";
    static final String LAST_GOOD_IN_FORCE = "LastGoodInForce";
    static final String FAILED_CLOSED = "FailedClosed";

    // A root rotation's reasons.
    static final String REFUSED = "Refused";
    static final String RUNNING = "Running";
    static final String WAITING = "Waiting";
    static final String QUEUED = "Queued";
    static final String GATE_HELD = "GateHeld";
    static final String COMPLETE = "Complete";
    static final String NOT_STARTED = "NotStarted";
    static final String WITHIN_MARGIN = "WithinMargin";
    static final String FRESH = "Fresh";

    // Event reasons (an ageing root's Event is ROOT_EXPIRING too).
    static final String PHASE_ENTERED = "PhaseEntered";
    static final String GATE_FORCED = "GateForced";

    // Event types.
    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";

    private Reasons() {}
}
