package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A AuthorizationPolicy resource. {@code status} is written by the operator and ignored when read. */
@JsonIgnoreProperties({"status"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthorizationPolicy(String apiVersion, String kind, ObjectMeta metadata, AuthorizationPolicySpec spec)
        implements Resource {
    public static final String KIND = "AuthorizationPolicy";
    public static final java.util.List<String> DRY_RUN_ANNOTATIONS =
            java.util.List.of("istio.io/dry-run", "signet.dev/dry-run");

    /** A dry-run policy is evaluated and reported (shadow rules) but never changes a decision. */
    public boolean isDryRun() {
        return metadata != null
                && DRY_RUN_ANNOTATIONS.stream()
                        .anyMatch(name ->
                                "true".equalsIgnoreCase(metadata.annotations().get(name)));
    }

    public AuthorizationPolicySpec specOrEmpty() {
        return spec == null ? AuthorizationPolicySpec.empty() : spec;
    }
}
