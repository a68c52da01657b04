package dev.signet.policy.eval;

import dev.signet.policy.model.Action;

/** A policy rule that matched: {@code namespace/name}, its action, and the rule's index. */
public record PolicyMatch(String policy, Action action, int rule) {
    @Override
    public String toString() {
        return action + " policy " + policy + " rule " + rule;
    }
}
