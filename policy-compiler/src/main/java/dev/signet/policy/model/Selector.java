package dev.signet.policy.model;

import java.util.Map;

/** A workload selector: every label must match. */
// Rules sit on the type: on a record component the generator would see them twice (field and accessor).
@io.fabric8.generator.annotation.ValidationRule(
        value = "!has(self.matchLabels) || self.matchLabels.all(key, !key.contains('*'))",
        message = "wildcard not allowed in label key match",
        fieldPath = ".matchLabels")
@io.fabric8.generator.annotation.ValidationRule(
        value = "!has(self.matchLabels) || self.matchLabels.all(key, key.size() != 0)",
        message = "key must not be empty",
        fieldPath = ".matchLabels")
public record Selector(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription(
                "Labels a pod must carry, all of them, to be selected.")
        Map<String, String> matchLabels) {
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
