package dev.signet.policy.model;

/** What a matching AuthorizationPolicy does. Evaluated CUSTOM, then DENY, then ALLOW; AUDIT only records. */
public enum Action {
    ALLOW,
    DENY,
    AUDIT,
    CUSTOM
}
