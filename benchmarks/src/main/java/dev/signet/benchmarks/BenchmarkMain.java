package dev.signet.benchmarks;

import dev.signet.benchmarks.ca.CaIssueReport;
import dev.signet.benchmarks.ca.JwtMintReport;
import dev.signet.benchmarks.plane.CaGrpcReport;
import dev.signet.benchmarks.plane.ClusterCaReport;
import dev.signet.benchmarks.plane.ClusterConvergenceReport;
import dev.signet.benchmarks.plane.RestartStormReport;
import dev.signet.benchmarks.plane.RotationReport;
import dev.signet.benchmarks.plane.WorkloadApiReport;
import dev.signet.benchmarks.plane.XdsConvergenceReport;
import dev.signet.benchmarks.policy.PolicyCompileReport;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code benchmarks/run NAME}: runs one named benchmark; without a name, lists them. */
public final class BenchmarkMain {

    /** A named benchmark that prints its figures and returns the ratio it ends with. */
    public interface Report {
        String description();

        double run(PrintStream out) throws Exception;
    }

    private BenchmarkMain() {}

    static Map<String, Report> reports() {
        Map<String, Report> reports = new LinkedHashMap<>();
        reports.put("ca-issue", new CaIssueReport());
        reports.put("jwt-mint", new JwtMintReport());
        reports.put("policy-compile", new PolicyCompileReport());
        reports.put("ca-grpc", new CaGrpcReport());
        reports.put("xds-convergence", new XdsConvergenceReport());
        reports.put("cluster-ca", new ClusterCaReport());
        reports.put("cluster-convergence", new ClusterConvergenceReport());
        reports.put("restart-storm", new RestartStormReport());
        reports.put("rotation", new RotationReport());
        reports.put("workload-api", new WorkloadApiReport());
        return reports;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Report> reports = reports();
        if (args.length == 0 || !reports.containsKey(args[0])) {
            if (args.length > 0) {
                System.err.println("unknown benchmark '" + args[0] + "'");
            }
            System.out.println("benchmarks:");
            reports.forEach((name, report) -> System.out.printf("  %-18s %s%n", name, report.description()));
            System.exit(args.length == 0 ? 0 : 2);
        }
        // Interrupted (Ctrl-C), a benchmark would leave its servers running: an API server, a control plane.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        double ratio = reports.get(args[0]).run(System.out);
        System.out.printf("ratio: %.3f%n", ratio);
    }
}
