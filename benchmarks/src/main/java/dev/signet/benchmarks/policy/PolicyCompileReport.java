package dev.signet.benchmarks.policy;

import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.policy.compile.CompiledWorkload;
import dev.signet.policy.compile.CompilerOptions;
import dev.signet.policy.compile.WorkloadCompiler;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.LoadedResource;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.IncrementalMesh;
import dev.signet.policy.select.LinearPolicySelector;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code policy-compile}: 10,000 AuthorizationPolicies over 1,000 namespaces and 10,000 workloads. Prints load,
 * index and full-compile times, selection cost per workload, the time to apply one changed policy and recompile
 * what it affects, and heap; the reference is the selection cost of scanning every policy for every workload
 * (Istio's way), measured in the same run. Ends with {@code ratio: indexed ÷ scan}.
 */
public final class PolicyCompileReport implements BenchmarkMain.Report {

    private static final int NAMESPACES = 1000;
    private static final int WORKLOADS_PER_NAMESPACE = 10;
    private static final String ROOT = MeshPolicies.DEFAULT_ROOT_NAMESPACE;

    @Override
    public String description() {
        return "10k AuthorizationPolicies, 1k namespaces, 10k workloads: selection (index vs scan), full and incremental compile, heap";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        String yaml = SyntheticMesh.yaml(NAMESPACES, WORKLOADS_PER_NAMESPACE);
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        LoadResult load = new ResourceLoader(new PolicyValidator(ROOT)).loadText("synthetic.yaml", yaml);
        long loaded = System.nanoTime();
        if (load.hasErrors()) {
            throw new IllegalStateException(
                    "synthetic mesh has errors: " + load.diagnostics().get(0).format());
        }
        MeshPolicies mesh = MeshPolicies.of(ROOT, load.resources());
        long indexed = System.nanoTime();
        List<Workload> workloads = new ArrayList<>(mesh.workloads());
        long policies = load.resources().stream()
                .filter(r -> r.resource() instanceof AuthorizationPolicy)
                .count();
        out.printf(
                "mesh: %d AuthorizationPolicies, %d workloads, %d namespaces%n",
                policies, workloads.size(), NAMESPACES);
        out.printf("load + validate YAML: %.0f ms; build indexes: %.0f ms%n", ms(loaded - start), ms(indexed - loaded));
        long meshHeap = usedHeap() - heapBefore;

        WorkloadCompiler compiler = new WorkloadCompiler(CompilerOptions.ENVOY);
        List<CompiledWorkload> compiled = new ArrayList<>(workloads.size());
        long[] fullRounds = new long[5];
        long firstRound = 0;
        for (int round = -1; round < fullRounds.length; round++) {
            compiled.clear();
            long t = System.nanoTime();
            for (Workload workload : workloads) {
                compiled.add(compiler.compile(mesh, workload));
            }
            if (round < 0) {
                firstRound = System.nanoTime() - t;
            } else {
                fullRounds[round] = System.nanoTime() - t;
            }
        }
        long compiledHeap = usedHeap() - heapBefore - meshHeap;
        out.printf(
                "full compile of every workload: %.0f ms warmed up (median of %s ms; the first, cold, took %.0f ms)%n",
                ms(median(fullRounds)), rounds(fullRounds), ms(firstRound));

        double indexedNanos = selectionNanos(workloads, mesh::authorizationPoliciesFor, 7);
        LinearPolicySelector scan = new LinearPolicySelector(ROOT, mesh.allAuthorizationPolicies());
        double scanNanos = selectionNanos(workloads, scan::select, 3);
        out.printf(
                "selection per workload: indexed %.4f ms, scan %.4f ms (goal: indexed <= 0.1 ms)%n",
                indexedNanos / 1e6, scanNanos / 1e6);

        long[] incremental = incremental(mesh, compiler, out);
        out.printf(
                "one changed policy -> new index + recompile of the workloads it affects: median %.2f ms, p99 %.2f ms,"
                        + " max %.2f ms over %d changes (goal: <= 5 ms)%n",
                ms(percentile(incremental, 50)),
                ms(percentile(incremental, 99)),
                ms(percentile(incremental, 100)),
                incremental.length);
        sourceUpdates(load.resources(), out);
        out.printf(
                "heap: policies, workloads and indexes %.0f MB; compiled resources of all workloads %.0f MB (%.1f KB per workload)%n",
                meshHeap / 1e6, compiledHeap / 1e6, compiledHeap / 1e3 / workloads.size());
        if (compiled.size() != workloads.size()) {
            throw new IllegalStateException("not every workload compiled");
        }
        return indexedNanos / scanNanos;
    }

    /** Median per-workload selection time over {@code rounds} passes across every workload, after one warm-up pass. */
    private static double selectionNanos(
            List<Workload> workloads, java.util.function.Function<Workload, List<?>> select, int rounds) {
        long sink = 0;
        long[] times = new long[rounds];
        for (int round = -1; round < rounds; round++) {
            long t = System.nanoTime();
            for (Workload workload : workloads) {
                sink += select.apply(workload).size();
            }
            if (round >= 0) {
                times[round] = System.nanoTime() - t;
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return (double) median(times) / workloads.size();
    }

    /** Changes one selector policy in each of 300 namespaces (twice over: warm-up, then measured). */
    private static long[] incremental(MeshPolicies mesh, WorkloadCompiler compiler, PrintStream out) {
        ResourceLoader loader = new ResourceLoader(new PolicyValidator(ROOT));
        List<LoadedResource> changes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = 1 + (i * 3) % (NAMESPACES - 1);
            String ns = SyntheticMesh.namespace(n);
            String changed = SyntheticMesh.policy(ns, n, 3, NAMESPACES).replace("/sa/w4", "/sa/w5");
            changes.add(loader.loadText("change.yaml", changed).resources().get(0));
        }
        long[] times = new long[changes.size()];
        int recompiled = 0;
        for (int pass = 0; pass < 2; pass++) {
            MeshPolicies current = mesh;
            for (int i = 0; i < changes.size(); i++) {
                LoadedResource change = changes.get(i);
                AuthorizationPolicy after = (AuthorizationPolicy) change.resource();
                long t = System.nanoTime();
                AuthorizationPolicy before = current.authorizationPolicy(
                        after.metadata().namespaceOrDefault(), after.metadata().name());
                MeshPolicies next = current.withAuthorizationPolicy(change);
                Set<Workload> affected = new LinkedHashSet<>(next.workloadsSelectedBy(after));
                if (before != null) {
                    affected.addAll(current.workloadsSelectedBy(before));
                }
                for (Workload workload : affected) {
                    compiler.compile(next, workload);
                }
                times[i] = System.nanoTime() - t;
                recompiled += affected.size();
                current = next;
            }
        }
        out.printf(
                "incremental: %.1f workloads recompiled per change on average%n", recompiled / (2.0 * changes.size()));
        return times;
    }

    /**
     * What the cluster source does on one changed policy: hand every resource over again to {@link IncrementalMesh},
     * which finds the change and replaces one namespace's index, against a full build of the same resources.
     */
    private static void sourceUpdates(List<LoadedResource> loaded, PrintStream out) {
        List<Resource> resources = new ArrayList<>(loaded.size());
        loaded.forEach(r -> resources.add(r.resource()));
        List<Integer> policyAt = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            if (resources.get(i) instanceof AuthorizationPolicy) {
                policyAt.add(i);
            }
        }
        IncrementalMesh incremental = new IncrementalMesh(ROOT);
        incremental.update(resources);
        int rounds = 40;
        long[] updates = new long[rounds];
        long[] full = new long[rounds / 4];
        for (int round = -5; round < rounds; round++) {
            int at = policyAt.get(Math.floorMod(round * 7919, policyAt.size()));
            // The change: the policy loses its spec, or gets it back (both are what an edit can do).
            AuthorizationPolicy before = (AuthorizationPolicy) resources.get(at);
            AuthorizationPolicy original = (AuthorizationPolicy) loaded.get(at).resource();
            resources.set(
                    at,
                    new AuthorizationPolicy(
                            before.apiVersion(),
                            before.kind(),
                            before.metadata(),
                            before.spec() == null ? original.spec() : null));
            long t = System.nanoTime();
            incremental.update(resources);
            if (round >= 0) {
                updates[round] = System.nanoTime() - t;
            }
            if (round >= 0 && round % 4 == 0) {
                t = System.nanoTime();
                MeshPolicies.byCreation(ROOT, resources);
                full[round / 4] = System.nanoTime() - t;
            }
        }
        out.printf(
                "cluster source, one changed policy among all resources: IncrementalMesh.update median %.1f ms"
                        + " (%d incremental, %d full builds) vs. a full build median %.1f ms%n",
                ms(median(updates)), incremental.incrementalBuilds(), incremental.fullBuilds(), ms(median(full)));
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long median(long[] values) {
        return percentile(values, 50);
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String rounds(long[] values) {
        return Arrays.stream(values)
                .mapToObj(v -> String.format("%.0f", ms(v)))
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
