package dev.signet.cli.policy;

import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MeshPolicies;
import java.util.stream.Collectors;

/** Looks a workload up by {@code ns/name}, listing the known ones when it is not there. */
final class Workloads {

    private Workloads() {}

    static Workload find(MeshPolicies mesh, String key) {
        if (!key.contains("/")) {
            throw new IllegalArgumentException("--workload is namespace/name, e.g. shop/payments (got '" + key + "')");
        }
        return mesh.workload(key)
                .orElseThrow(() -> new IllegalArgumentException("no Workload " + key + "; known: "
                        + (mesh.workloads().isEmpty()
                                ? "none"
                                : mesh.workloads().stream()
                                        .map(Workload::key)
                                        .sorted()
                                        .collect(Collectors.joining(", ")))));
    }
}
