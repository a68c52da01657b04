package dev.signet.policy.model;

/** A reference to the resource a policy attaches to (Istio's PolicyTargetReference). */
public record TargetRef(String group, String kind, String name, String namespace) {
}
