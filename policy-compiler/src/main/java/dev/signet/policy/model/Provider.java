package dev.signet.policy.model;

/** The extension provider of a CUSTOM policy. */
public record Provider(String name) {
}
