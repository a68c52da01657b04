package dev.signet.policy.model;

/** A reference to the resource a policy attaches to (Istio's PolicyTargetReference). */
@io.fabric8.generator.annotation.ValidationRule(
        value =
                "[has(self.group) ? self.group : '', self.kind] in [['core','Service'], ['','Service'], ['gateway.networking.k8s.io','Gateway'], "
                        + "['networking.istio.io','ServiceEntry']]",
        message = "Support kinds are core/Service, networking.istio.io/ServiceEntry, gateway.networking.k8s.io/Gateway")
@io.fabric8.generator.annotation.ValidationRule(
        value = "!has(self.namespace) || self.namespace.size() == 0",
        message = "cross namespace referencing is not currently supported",
        fieldPath = ".namespace")
public record TargetRef(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription("API group of the target; empty for core.")
        @io.fabric8.generator.annotation.Size(max = 253)
        String group,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription("Kind of the target, such as Service.")
        @io.fabric8.generator.annotation.Required
        @io.fabric8.generator.annotation.Size(min = 1, max = 63)
        String kind,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription("Name of the target.")
        @io.fabric8.generator.annotation.Required
        @io.fabric8.generator.annotation.Size(min = 1, max = 253)
        String name,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription("Namespace of the target; only the policy's own.")
        String namespace) {}
