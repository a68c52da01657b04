package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A rule matches when one {@code from} matches (or there is none), one {@code to} matches (or there is none), and
 * every {@code when} holds. So {@code {}} matches every request.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Rule(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription(
                "Where requests come from; one entry must match. Absent: any source.")
        List<RuleFrom> from,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription(
                "What requests do; one entry must match. Absent: any operation.")
        List<RuleTo> to,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription("Further conditions; every one must match.")
        List<Condition> when) {
    public Rule {
        from = Lists.of(from);
        to = Lists.of(to);
        when = Lists.of(when);
    }
}
