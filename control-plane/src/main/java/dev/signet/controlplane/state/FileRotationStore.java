package dev.signet.controlplane.state;

import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.store.AtomicFiles;
import dev.signet.ca.store.Directories;
import dev.signet.controlplane.rotation.RotationJson;
import dev.signet.controlplane.rotation.RotationRecord;
import dev.signet.controlplane.rotation.RotationStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;

/**
 * A rotation in the state directory: {@code rotation/state.json}, the candidate CA in {@code rotation/next/} (the
 * plug-in layout of {@code ca/}), and retired CAs kept on request in {@code rotation/archive/<time>/}.
 *
 * <p>Every change of a CA directory is a rename, each atomic, so that a process killed at any point leaves whole
 * directories only. A candidate is written beside {@code next/} and renamed into place. Promotion moves {@code ca/}
 * aside (into the archive, or into {@code rotation/retired/<time>/}), then {@code next/} in, and only then deletes
 * what was set aside. A crash between the two moves leaves no {@code ca/} but a {@code next/}, which
 * {@link StateDirectory} completes on the next start before it would ever mint a CA; it also deletes what a crash
 * left set aside.
 */
public final class FileRotationStore implements RotationStore {

    /**
     * Told before each file operation of a promotion, with what it is about to do. The seam at which a test stops
     * the process, to prove that every point of a promotion is one a restart recovers from.
     */
    @FunctionalInterface
    public interface FileSteps {
        FileSteps NONE = operation -> {};

        void before(String operation) throws IOException;
    }

    private final StateDirectory state;
    private final Clock clock;
    private final FileSteps steps;
    private final RotationJson json = new RotationJson();

    public FileRotationStore(StateDirectory state, Clock clock) {
        this(state, clock, FileSteps.NONE);
    }

    public FileRotationStore(StateDirectory state, Clock clock, FileSteps steps) {
        this.state = state;
        this.clock = clock;
        this.steps = steps;
    }

    private Path directory() {
        return state.rotationDirectory();
    }

    private Path stateFile() {
        return directory().resolve("state.json");
    }

    @Override
    public RotationRecord load() throws IOException {
        if (!Files.exists(stateFile())) {
            return RotationRecord.INITIAL;
        }
        try {
            return json.read(Files.readString(stateFile(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(stateFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(RotationRecord record) throws IOException {
        Files.createDirectories(directory());
        AtomicFiles.write(stateFile(), json.write(record), false);
    }

    @Override
    public Optional<CaMaterial> candidate() {
        CaDirectory next = new CaDirectory(state.candidateDirectory());
        return next.exists() ? Optional.of(next.read()) : Optional.empty();
    }

    @Override
    public void saveCandidate(CaMaterial material) throws IOException {
        Path staging = state.stagingDirectory(clock.millis());
        Files.createDirectories(staging);
        for (var file : material.files().entrySet()) {
            AtomicFiles.write(
                    staging.resolve(file.getKey()),
                    file.getValue(),
                    file.getKey().endsWith("-key.pem"));
        }
        Path aside = state.retiredDirectory(clock.millis());
        if (Files.exists(state.candidateDirectory())) {
            move(state.candidateDirectory(), aside, "move an earlier candidate aside");
        }
        move(staging, state.candidateDirectory(), "move the staged candidate into next/");
        delete(aside);
    }

    @Override
    public void finish(boolean promote, boolean archive) throws IOException {
        Path next = state.candidateDirectory();
        if (!Files.exists(next)) {
            return;
        }
        Path retiring = promote ? state.caDirectory() : next;
        Path aside = archive ? state.archiveDirectory(clock.millis()) : state.retiredDirectory(clock.millis());
        if (Files.exists(retiring)) {
            move(retiring, aside, "move " + (promote ? "ca/" : "next/") + " aside");
        }
        if (promote) {
            move(next, state.caDirectory(), "move next/ into ca/");
        }
        if (!archive) {
            delete(aside);
        }
    }

    private void move(Path from, Path to, String operation) throws IOException {
        steps.before(operation);
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private void delete(Path directory) throws IOException {
        Directories.delete(directory, path -> steps.before("delete " + directory.relativize(path)));
    }
}
