package dev.signet.policy.model;

/** PeerAuthentication's mutual TLS modes; UNSET inherits from the level above. */
public enum MtlsMode {
    UNSET,
    DISABLE,
    PERMISSIVE,
    STRICT
}
