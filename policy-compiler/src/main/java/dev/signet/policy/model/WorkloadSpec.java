package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Signet's Workload: what Kubernetes would say about a pod, written down for standalone mode. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WorkloadSpec(String serviceAccount, List<WorkloadPort> ports, String address) {
    public WorkloadSpec {
        ports = Lists.of(ports);
    }
}
