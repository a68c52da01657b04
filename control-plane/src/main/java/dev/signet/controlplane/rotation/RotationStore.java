package dev.signet.controlplane.rotation;

import dev.signet.ca.authority.CaMaterial;
import java.io.IOException;
import java.util.Optional;

/**
 * Where a rotation's durable state lives: the {@link RotationRecord} and the new root's material (the
 * <em>candidate</em>) beside the CA in use. Every write is atomic, so a crash leaves either the old or the new state.
 */
public interface RotationStore {

    RotationRecord load() throws IOException;

    void save(RotationRecord record) throws IOException;

    /** The candidate authority, while a rotation holds one. */
    Optional<CaMaterial> candidate() throws IOException;

    /** Stores the candidate before the rotation that uses it is recorded, so that a recorded rotation has it. */
    void saveCandidate(CaMaterial material) throws IOException;

    /**
     * Ends a rotation: when {@code promote}, the candidate becomes the CA and the old CA's keys are archived or
     * destroyed; otherwise (a rollback completed) the candidate's keys are. Safe to repeat after a crash.
     */
    void finish(boolean promote, boolean archive) throws IOException;
}
