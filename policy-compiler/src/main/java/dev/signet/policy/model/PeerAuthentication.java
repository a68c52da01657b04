package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A PeerAuthentication resource. {@code status} is written by the operator and ignored when read. */
@JsonIgnoreProperties({"status"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PeerAuthentication(String apiVersion, String kind, ObjectMeta metadata, PeerAuthenticationSpec spec)
        implements Resource {
    public static final String KIND = "PeerAuthentication";
}
