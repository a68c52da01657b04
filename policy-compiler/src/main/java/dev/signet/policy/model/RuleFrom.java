package dev.signet.policy.model;

/** One entry of {@code rules[].from}. */
public record RuleFrom(Source source) {
}
