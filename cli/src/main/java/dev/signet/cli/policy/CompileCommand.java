package dev.signet.cli.policy;

import dev.signet.policy.check.PolicyCheck;
import dev.signet.policy.compile.CompilerOptions;
import dev.signet.policy.compile.WorkloadCompiler;
import dev.signet.policy.model.Workload;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet compile DIR --workload ns/name}: the workload's xDS resources as JSON. */
@Command(
        name = "compile",
        mixinStandardHelpOptions = true,
        description = "Print a workload's compiled Envoy xDS resources (listeners, clusters) as JSON.")
public final class CompileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MeshOptions mesh;

    @Option(
            names = "--workload",
            required = true,
            paramLabel = "NS/NAME",
            description = "The workload, e.g. shop/payments.")
    String workload;

    @Option(
            names = "--flavor",
            defaultValue = "envoy",
            paramLabel = "FLAVOR",
            description = "envoy (SDS secrets) or grpc (proxyless: certificate providers).")
    String flavor;

    @Override
    public Integer call() throws Exception {
        CompilerOptions options = switch (flavor) {
            case "envoy" -> CompilerOptions.ENVOY;
            case "grpc" -> CompilerOptions.GRPC;
            default -> throw new IllegalArgumentException("unknown flavor '" + flavor + "'; use envoy or grpc");
        };
        PolicyCheck.Loaded loaded = mesh.loadOrReport(spec.commandLine().getErr());
        if (loaded == null) {
            return 1;
        }
        Workload target = Workloads.find(loaded.mesh(), workload);
        spec.commandLine()
                .getOut()
                .print(new WorkloadCompiler(options)
                        .compile(loaded.mesh(), target)
                        .toJson());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
