package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A {@code when} condition on a request attribute: one of {@code values}, none of {@code notValues}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Condition(String key, List<String> values, List<String> notValues) {
    public Condition {
        values = Lists.of(values);
        notValues = Lists.of(notValues);
    }
}
