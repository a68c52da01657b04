package dev.signet.policy.model;

/** One entry of {@code rules[].from}. */
public record RuleFrom(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription("The source's attributes; all set fields must match.")
        Source source) {}
