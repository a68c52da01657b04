package dev.signet.policy.load;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.policy.compile.CompilerOptions;
import dev.signet.policy.compile.WorkloadCompiler;
import dev.signet.policy.eval.Evaluator;
import dev.signet.policy.eval.Request;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer fuzz target over the policy loader, what {@code signet check}, the standalone folder and admission all run on
 * text a user (or an attacker with write access to a Git repository) wrote. Plain test runs replay
 * {@code PolicyLoaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for ten minutes. The property: any text loads into
 * resources and diagnostics, and whatever loaded (stand-ins of invalid policies included) compiles and evaluates,
 * with no exception escaping.
 */
class PolicyLoaderFuzzTest {

    private static final String ROOT = MeshPolicies.DEFAULT_ROOT_NAMESPACE;

    @FuzzTest(maxDuration = "10m")
    void load(byte[] input) {
        LoadResult result = new ResourceLoader(new PolicyValidator(ROOT))
                .loadText("fuzz.yaml", new String(input, StandardCharsets.UTF_8));
        MeshPolicies mesh = MeshPolicies.of(ROOT, result.failingClosed());
        WorkloadCompiler compiler = new WorkloadCompiler(CompilerOptions.ENVOY);
        Evaluator evaluator = new Evaluator(mesh);
        for (Workload workload : mesh.workloads()) {
            compiler.compile(mesh, workload);
            workload.spec()
                    .ports()
                    .forEach(port -> evaluator.evaluate(
                            workload,
                            Request.builder(port.port())
                                    .from("spiffe://cluster.local/ns/shop/sa/checkout")
                                    .method("GET")
                                    .path("/a/b")
                                    .build()));
        }
    }
}
