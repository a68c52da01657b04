package dev.signet.policy.model;

/** One entry of {@code rules[].to}. */
public record RuleTo(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription(
                "The request's attributes; all set fields must match.")
        Operation operation) {}
