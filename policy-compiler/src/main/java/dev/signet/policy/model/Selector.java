package dev.signet.policy.model;

import java.util.Map;

/** A workload selector: every label must match. */
public record Selector(Map<String, String> matchLabels) {
    public Selector {
        matchLabels = Lists.of(matchLabels);
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> required : matchLabels.entrySet()) {
            if (!required.getValue().equals(labels.get(required.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
