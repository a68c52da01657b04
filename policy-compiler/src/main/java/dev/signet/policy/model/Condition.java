package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A {@code when} condition on a request attribute: one of {@code values}, none of {@code notValues}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Condition(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription(
                "The attribute to match, such as source.ip, " + "request.headers[x-user] or destination.port.")
        @io.fabric8.generator.annotation.Required
        String key,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription("Values, one of which must match.")
        List<String> values,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription("Values that must not match.")
        List<String> notValues) {
    public Condition {
        values = Lists.of(values);
        notValues = Lists.of(notValues);
    }
}
