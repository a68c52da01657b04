package dev.signet.ca.authority;

/** A freshly created root (with its key, kept for cross-signing during a rotation) and the intermediate that signs. */
public record MintedAuthority(CertifiedKey root, SigningAuthority signer) {}
