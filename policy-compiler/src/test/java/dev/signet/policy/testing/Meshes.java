package dev.signet.policy.testing;

import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.util.stream.Collectors;

/** Builds meshes from YAML text for tests; any load error fails the test with the diagnostics. */
public final class Meshes {

    public static final String ROOT = MeshPolicies.DEFAULT_ROOT_NAMESPACE;

    private Meshes() {}

    public static LoadResult load(String yaml) {
        return new ResourceLoader(new PolicyValidator(ROOT)).loadText("test.yaml", yaml);
    }

    public static MeshPolicies mesh(String yaml) {
        LoadResult result = load(yaml);
        if (result.hasErrors()) {
            throw new AssertionError("test YAML has errors:\n"
                    + result.diagnostics().stream().map(d -> d.format()).collect(Collectors.joining("\n")));
        }
        return MeshPolicies.of(ROOT, result.resources());
    }

    /** A workload document. */
    public static String workload(String namespace, String name, String serviceAccount, String labels, String ports) {
        return """
                apiVersion: security.signet.dev/v1
                kind: Workload
                metadata: {name: %s, namespace: %s, labels: {%s}}
                spec:
                  serviceAccount: %s
                  ports: [%s]
                ---
                """.formatted(name, namespace, labels, serviceAccount, ports);
    }

    /** shop/payments with app=payments: 8080 HTTP, 9000 TCP, 7070 GRPC. */
    public static final String PAYMENTS = workload(
            "shop",
            "payments",
            "payments",
            "app: payments",
            "{port: 8080, protocol: HTTP}, {port: 9000, protocol: TCP}, {port: 7070, protocol: GRPC}");

    public static Workload payments(MeshPolicies mesh) {
        return mesh.workload("shop/payments").orElseThrow();
    }
}
