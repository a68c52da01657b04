package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A rule matches when one {@code from} matches (or there is none), one {@code to} matches (or there is none), and
 * every {@code when} holds. So {@code {}} matches every request.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Rule(List<RuleFrom> from, List<RuleTo> to, List<Condition> when) {
    public Rule {
        from = Lists.of(from);
        to = Lists.of(to);
        when = Lists.of(when);
    }
}
