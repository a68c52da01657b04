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
 * <p>Promotion renames directories, each rename atomic: {@code ca/} moves out, then {@code next/} moves in. A crash
 * between the two leaves no {@code ca/} but a {@code next/}, which {@link StateDirectory} completes on the next start
 * before it would ever mint a CA.
 */
public final class FileRotationStore implements RotationStore {

    private final StateDirectory state;
    private final Clock clock;
    private final RotationJson json = new RotationJson();

    public FileRotationStore(StateDirectory state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    private Path directory() {
        return state.path().resolve("rotation");
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
        Directories.delete(state.candidateDirectory());
        Files.createDirectories(state.candidateDirectory());
        for (var file : material.files().entrySet()) {
            AtomicFiles.write(state.candidateDirectory().resolve(file.getKey()), file.getValue(),
                    file.getKey().endsWith("-key.pem"));
        }
    }

    @Override
    public void finish(boolean promote, boolean archive) throws IOException {
        Path next = state.candidateDirectory();
        if (!Files.exists(next)) {
            return;
        }
        Path retired = promote ? state.caDirectory() : next;
        if (Files.exists(retired)) {
            if (archive) {
                Path archived = directory().resolve("archive").resolve(Long.toString(clock.millis()));
                Files.createDirectories(archived.getParent());
                Files.move(retired, archived, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Directories.delete(retired);
            }
        }
        if (promote) {
            state.completePromotion();
        }
    }
}
