package dev.signet.policy.model;

/** The extension provider of a CUSTOM policy. */
public record Provider(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription("The name of the extension provider.")
        String name) {}
