package dev.signet.controlplane.istio;

import java.time.Duration;
import java.util.List;

/**
 * How the Istio CA API is served: the token audience its callers present, the names Istio's agents expect on the
 * serving certificate, how long their certificates last while a rotation runs, and whether the trust bundle is also
 * published under Istio's ConfigMap name.
 */
public record IstioCaSettings(
        String audience, List<String> serverNames, Duration rotationTtl, boolean rootCertConfigMap) {

    /** Istio's ConfigMap for the trust bundle, which its injector mounts into every sidecar. */
    public static final String ROOT_CERT_CONFIG_MAP = "istio-ca-root-cert";

    private static final java.util.regex.Pattern DNS_NAME = java.util.regex.Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

    public IstioCaSettings {
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("the audience must not be empty");
        }
        if (rotationTtl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("the rotation lifetime must be at least 1m, was "
                    + dev.signet.ca.HumanDuration.format(rotationTtl));
        }
        for (String name : serverNames) {
            if (!DNS_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("\"" + name + "\" is not a DNS name");
            }
        }
        serverNames = List.copyOf(serverNames);
    }

    /** {@code names}: comma-separated; {@code -} for none. */
    public static List<String> parseNames(String names) {
        if (names.strip().equals("-")) {
            return List.of();
        }
        return java.util.Arrays.stream(names.split(","))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .toList();
    }
}
