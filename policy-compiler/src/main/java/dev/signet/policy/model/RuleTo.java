package dev.signet.policy.model;

/** One entry of {@code rules[].to}. */
public record RuleTo(Operation operation) {
}
