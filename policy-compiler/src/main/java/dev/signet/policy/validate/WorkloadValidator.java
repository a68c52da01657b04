package dev.signet.policy.validate;

import dev.signet.policy.model.Workload;
import dev.signet.policy.model.WorkloadPort;
import dev.signet.policy.model.WorkloadSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Signet's rules for a standalone {@code Workload}: a valid service account, ports in range and listed once, each
 * with a protocol, a non-empty address when one is given, and labels the CRDs would accept.
 */
final class WorkloadValidator {

    private WorkloadValidator() {}

    static void check(Workload workload, List<FieldError> errors) {
        FieldPath path = FieldPath.of("spec");
        WorkloadSpec spec = workload.spec();
        if (spec == null) {
            errors.add(FieldError.error(path, "spec with serviceAccount and ports is required"));
            return;
        }
        if ((spec.serviceAccount() == null || spec.serviceAccount().isBlank())) {
            errors.add(FieldError.error(path.field("serviceAccount"), "serviceAccount is required"));
        } else if (!Patterns.isDnsSubdomain(spec.serviceAccount())) {
            errors.add(FieldError.error(
                    path.field("serviceAccount"),
                    "\"" + spec.serviceAccount() + "\" is not a valid service account name"));
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < spec.ports().size(); i++) {
            WorkloadPort port = spec.ports().get(i);
            FieldPath portPath = path.field("ports").index(i);
            if (port.port() == null) {
                errors.add(FieldError.error(portPath.field("port"), "port is required"));
            } else if (port.port() < 1 || port.port() > 65535) {
                errors.add(
                        FieldError.error(portPath.field("port"), "port " + port.port() + " is out of range 1-65535"));
            } else if (!seen.add(port.port())) {
                errors.add(FieldError.error(portPath.field("port"), "port " + port.port() + " is listed twice"));
            }
            if (port.protocol() == null) {
                errors.add(
                        FieldError.error(portPath.field("protocol"), "protocol is required: HTTP, HTTP2, GRPC or TCP"));
            }
        }
        if (spec.address() != null && spec.address().isBlank()) {
            errors.add(FieldError.error(path.field("address"), "address must not be empty"));
        }
        if (workload.metadata() != null) {
            PolicyValidator.checkLabels(
                    workload.metadata().labels(), FieldPath.of("metadata").field("labels"), errors);
        }
    }
}
