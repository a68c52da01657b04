package dev.signet.controlplane.standalone;

import dev.signet.controlplane.environment.MeshSource;
import dev.signet.controlplane.environment.PolicyCounts;
import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.LoadResult;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.PolicyValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Watches a folder (by polling: it works on every file system, bind mounts and editors that replace files alike)
 * and hands a new mesh to the sink when the YAML changed and is valid. An invalid edit is reported and the last
 * good mesh stays in force, so that a typo never replaces working configuration.
 */
public final class FolderSource implements MeshSource {

    private static final Logger LOG = Logger.getLogger(FolderSource.class.getName());

    private final Path directory;
    private final String rootNamespace;
    private final Duration pollInterval;
    private volatile Consumer<MeshPolicies> sink = mesh -> {};
    private String lastFingerprint = "";
    private volatile List<Diagnostic> lastDiagnostics = List.of();
    private volatile long appliedGenerations;
    private volatile PolicyCounts counts = PolicyCounts.NONE;

    public FolderSource(Path directory, String rootNamespace, Duration pollInterval) {
        this.directory = directory;
        this.rootNamespace = rootNamespace;
        this.pollInterval = pollInterval;
    }

    /** Loads the folder now, then polls it every poll interval. */
    @Override
    public void start(Consumer<MeshPolicies> meshes, ScheduledExecutorService scheduler) {
        this.sink = meshes;
        poll();
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        poll();
                    } catch (RuntimeException e) {
                        LOG.log(java.util.logging.Level.WARNING, "reloading " + directory + " failed", e);
                    }
                },
                pollInterval.toMillis(),
                pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Ready once a valid configuration was applied. */
    @Override
    public boolean ready() {
        return appliedGenerations > 0;
    }

    @Override
    public void close() {
        // Polling stops with the scheduler it was given.
    }

    /** Loads the folder if it changed since the last call; returns whether a new mesh was applied. */
    public synchronized boolean poll() {
        String fingerprint;
        try {
            fingerprint = fingerprint();
        } catch (IOException e) {
            LOG.warning(
                    () -> "cannot read " + directory + ": " + e.getMessage() + "; the last good configuration stays");
            return false;
        }
        if (fingerprint.equals(lastFingerprint)) {
            return false;
        }
        lastFingerprint = fingerprint;
        LoadResult load;
        try {
            load = new ResourceLoader(new PolicyValidator(rootNamespace)).loadDirectory(directory);
        } catch (IOException e) {
            LOG.warning(
                    () -> "cannot read " + directory + ": " + e.getMessage() + "; the last good configuration stays");
            return false;
        }
        lastDiagnostics = load.diagnostics();
        int invalid = (int) load.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(d -> d.location().file() + "#" + d.location().document())
                .distinct()
                .count();
        counts = new PolicyCounts(counts.inForce(), invalid);
        if (load.hasErrors()) {
            load.diagnostics().stream().filter(Diagnostic::isError).forEach(d -> LOG.warning(d.format()));
            LOG.warning(() ->
                    load.errorCount() + " error(s) in " + directory + "; the last good configuration stays in force");
            return false;
        }
        sink.accept(MeshPolicies.of(rootNamespace, load.resources()));
        counts = new PolicyCounts(
                (int) load.resources().stream()
                        .filter(r -> !(r.resource() instanceof dev.signet.policy.model.Workload))
                        .count(),
                0);
        appliedGenerations++;
        LOG.info(() -> "applied " + load.resources().size() + " resource(s) from " + directory);
        return true;
    }

    /** The folder's policies in force (the last good load's) and its invalid documents (the last load's). */
    @Override
    public PolicyCounts policyCounts() {
        return counts;
    }

    /** What the last load reported (errors and warnings), for the status endpoint. */
    public List<Diagnostic> lastDiagnostics() {
        return lastDiagnostics;
    }

    private String fingerprint() throws IOException {
        TreeMap<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                files.put(
                        file.toString(),
                        attributes.size() + ":" + attributes.lastModifiedTime().toMillis() + ":"
                                + attributes.fileKey());
            }
        }
        return files.toString();
    }
}
