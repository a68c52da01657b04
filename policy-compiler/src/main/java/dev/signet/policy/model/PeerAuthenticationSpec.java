package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Istio's PeerAuthentication spec. Port keys stay strings until validated, so errors can name them. */
@JsonClassDescription(
        "Istio's PeerAuthentication spec: the workloads it applies to and their mutual TLS mode, for all ports or per port.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@io.fabric8.generator.annotation.ValidationRule(
        value = "(has(self.selector) && has(self.selector.matchLabels) && self.selector.matchLabels.size() > 0) "
                + "|| !has(self.portLevelMtls)",
        message = "portLevelMtls requires selector")
@io.fabric8.generator.annotation.ValidationRule(
        value =
                "!has(self.portLevelMtls) || self.portLevelMtls.all(key, key.matches('^[0-9]{1,5}$') && 0 < int(key) && int(key) <= 65535)",
        message = "port must be between 1-65535",
        fieldPath = ".portLevelMtls")
public record PeerAuthenticationSpec(
        @com.fasterxml.jackson.annotation.JsonPropertyDescription("The workloads this applies to, by pod labels. "
                + "Absent: the namespace (or the mesh, in the root namespace).")
        Selector selector,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription("Mutual TLS settings of the selected workloads.")
        Mtls mtls,

        @com.fasterxml.jackson.annotation.JsonPropertyDescription(
                "Per-port mutual TLS settings, keyed by the " + "workload's port number; needs a selector.")
        @io.fabric8.generator.annotation.Size(min = 1)
        Map<String, Mtls> portLevelMtls) {
    public PeerAuthenticationSpec {
        portLevelMtls = Lists.of(portLevelMtls);
    }

    public MtlsMode modeOrUnset() {
        return mtls == null ? MtlsMode.UNSET : mtls.modeOrUnset();
    }
}
