package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The part of Kubernetes' ObjectMeta that policies use. Other metadata (uid, managedFields, ...) is accepted and
 * ignored, so that the output of {@code kubectl get -o yaml} loads unchanged.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> annotations,
        String creationTimestamp,
        Long generation) {

    public static final String DEFAULT_NAMESPACE = "default";

    public ObjectMeta {
        labels = Lists.of(labels);
        annotations = Lists.of(annotations);
    }

    public static ObjectMeta of(String namespace, String name) {
        return new ObjectMeta(name, namespace, Map.of(), Map.of(), null, null);
    }

    /** The namespace, {@code default} when none is written (as kubectl would apply it). */
    public String namespaceOrDefault() {
        return namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    }
}
