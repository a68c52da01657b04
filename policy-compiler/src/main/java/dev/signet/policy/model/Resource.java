package dev.signet.policy.model;

/** A Kubernetes-style resource Signet reads. */
public sealed interface Resource permits AuthorizationPolicy, PeerAuthentication, Workload {
    String apiVersion();

    String kind();

    ObjectMeta metadata();

    /** {@code namespace/name}. */
    default String key() {
        return metadata().namespaceOrDefault() + "/" + metadata().name();
    }
}
