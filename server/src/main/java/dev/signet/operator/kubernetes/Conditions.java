package dev.signet.operator.kubernetes;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Status conditions as Kubernetes conventions want them: a transition time that moves only when the status does. */
final class Conditions {

    private Conditions() {}

    static Condition condition(String type, boolean status, String reason, String message, long generation) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status ? "True" : "False")
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .build();
    }

    static Condition keepTransitionTime(Condition next, List<Condition> previous, Instant now) {
        Condition before = find(previous, next.getType());
        String time = before != null
                        && Objects.equals(before.getStatus(), next.getStatus())
                        && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime()
                : now.toString();
        return new ConditionBuilder(next).withLastTransitionTime(time).build();
    }

    static Condition find(List<Condition> conditions, String type) {
        return conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }
}
