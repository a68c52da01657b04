package dev.signet.policy.check;

import dev.signet.policy.compile.CompiledWorkload;
import dev.signet.policy.compile.CompilerOptions;
import dev.signet.policy.compile.WorkloadCompiler;
import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.LoadedResource;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads and validates every YAML under a folder and compiles every workload in it, so that a pull request
 * learns about errors (and about rules that a TCP port will ignore) before anything is applied.
 */
public final class PolicyCheck {

    private final String rootNamespace;

    public PolicyCheck(String rootNamespace) {
        this.rootNamespace = rootNamespace;
    }

    /**
     * The loaded folder and the mesh built from its valid resources, with each invalid policy's fail-closed stand-in
     * in its place: leaving an invalid policy out would answer more permissively than what is enforced.
     */
    public record Loaded(LoadResult load, MeshPolicies mesh) {}

    /** A folder (every YAML file under it) or one file. */
    public Loaded load(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or folder");
        }
        LoadResult load = new ResourceLoader(new PolicyValidator(rootNamespace)).loadDirectory(path);
        return new Loaded(load, MeshPolicies.of(rootNamespace, load.failingClosed()));
    }

    /** YAML given as text (standard input), placed as {@code name}. */
    public Loaded load(String name, String text) {
        LoadResult load = new ResourceLoader(new PolicyValidator(rootNamespace)).loadText(name, text);
        return new Loaded(load, MeshPolicies.of(rootNamespace, load.failingClosed()));
    }

    public CheckReport check(Path path) throws IOException {
        return check(load(path));
    }

    /** Validates and compiles what was loaded. */
    public CheckReport check(Loaded loaded) {
        return report(loaded, List.of());
    }

    /**
     * What is applied to a cluster: its policies as {@code load} read them, its Pods among them as workloads, and
     * what only the whole shows ({@link MeshAnalysis}); {@code serviceAccounts} are those that exist.
     */
    public CheckReport checkApplied(LoadResult load, Set<String> serviceAccounts) {
        MeshPolicies mesh = MeshPolicies.of(rootNamespace, load.failingClosed());
        List<Diagnostic> analysis = new MeshAnalysis(mesh, Optional.of(serviceAccounts)).analyse(load.resources());
        return report(new Loaded(load, mesh), analysis);
    }

    private static CheckReport report(Loaded loaded, List<Diagnostic> findings) {
        WorkloadCompiler compiler = new WorkloadCompiler(CompilerOptions.ENVOY);
        List<Diagnostic> notes = new ArrayList<>(findings);
        for (LoadedResource resource : loaded.load().resources()) {
            if (resource.resource() instanceof Workload workload) {
                CompiledWorkload compiled = compiler.compile(loaded.mesh(), workload);
                compiled.notes()
                        .forEach(note -> notes.add(new Diagnostic(
                                Diagnostic.Severity.WARNING,
                                resource.location(),
                                "Workload " + workload.key(),
                                null,
                                note)));
                compiled.errors()
                        .forEach(error -> notes.add(new Diagnostic(
                                Diagnostic.Severity.ERROR,
                                resource.location(),
                                "Workload " + workload.key(),
                                null,
                                error)));
            }
        }
        return CheckReport.of(loaded.load(), notes, loaded.mesh().workloads().size());
    }
}
