package dev.signet.operator.kubernetes;

import dev.signet.ca.HumanDuration;
import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.crypto.KeyType;
import dev.signet.controlplane.rotation.RootRotation;
import dev.signet.controlplane.rotation.RotationController;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationPhase;
import dev.signet.controlplane.rotation.RotationRefused;
import dev.signet.controlplane.rotation.RotationRequest;
import dev.signet.controlplane.rotation.RotationStatus;
import dev.signet.operator.crd.RootRotationResource;
import dev.signet.operator.crd.RootRotationSpec;
import dev.signet.operator.crd.RootRotationStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Turns RootRotation resources into calls on the {@link RotationController} and writes back what it observed. Runs
 * on the leader only (JOSDK's Lease), so only the leader starts, advances, forces or rolls back a rotation; the phase
 * itself is durable in the controller's record, and this resource shows it.
 *
 * <p>A resource belongs to the rotation named after it that started no earlier than the resource was created (a
 * resource created again under the same name asks for a new rotation), or to one it was made for ({@link #ADOPTED}).
 * A resource whose rotation has run is never started again. One created while another rotation runs is queued: it
 * waits, saying for which, and starts once that one completes, the oldest queued resource first; so the declared
 * state converges with no one deleting and creating anything.
 */
final class RootRotationReconciler implements Reconciler<RootRotationResource> {

    static final String ADOPTED = "signet.dev/adopted";
    static final String ROOT_EXPIRING = Reasons.ROOT_EXPIRING;
    private static final Duration WHILE_RUNNING = Duration.ofSeconds(1);
    private static final Duration WHILE_IDLE = Duration.ofMinutes(1);

    private final RotationController rotation;
    private final CaSecret secrets;
    private final RootRotationStatuses statuses;
    private final ResourceEvents events;

    RootRotationReconciler(
            RotationController rotation,
            CaSecret secrets,
            BooleanSupplier rootAgeing,
            Duration stalledAfter,
            ResourceEvents events,
            Clock clock) {
        this.rotation = rotation;
        this.secrets = secrets;
        this.statuses = new RootRotationStatuses(rootAgeing, stalledAfter, clock);
        this.events = events;
    }

    @Override
    public UpdateControl<RootRotationResource> reconcile(
            RootRotationResource resource, Context<RootRotationResource> context) {
        RootRotationStatus previous = resource.getStatus();
        long generation =
                Optional.ofNullable(resource.getMetadata().getGeneration()).orElse(0L);
        Optional<String> refusal = Optional.empty();
        Optional<String> queued = Optional.empty();
        try {
            queued = act(resource, previous, context);
        } catch (RotationRefused | IllegalArgumentException e) {
            refusal = Optional.of(e.getMessage());
        }
        RotationStatus seen = rotation.status();
        Optional<RootRotation> mine = seen.rotation().filter(r -> belongs(r, resource));
        RootRotationStatus next = mine.isPresent()
                ? RootRotationStatuses.observed(seen, mine.get(), generation)
                : previous != null && previous.rotationId() != null ? previous : RootRotationStatus.pending(generation);
        next = statuses.withConditions(next, mine, refusal, queued, generation, previous);
        announce(resource, previous, next);
        boolean running = mine.map(r -> !r.complete()).orElse(false);
        UpdateControl<RootRotationResource> control;
        if (next.equals(previous)) {
            control = UpdateControl.noUpdate();
        } else {
            resource.setStatus(next);
            control = UpdateControl.patchStatus(resource);
        }
        // A queued resource looks often, so that it starts within a second of its turn.
        return control.rescheduleAfter(running || queued.isPresent() ? WHILE_RUNNING : WHILE_IDLE);
    }

    /**
     * Starts this resource's rotation if it may, then applies what its spec asks of a rotation in progress; or, while
     * another rotation runs or an older resource waits, says what this one waits for.
     */
    private Optional<String> act(
            RootRotationResource resource, RootRotationStatus previous, Context<RootRotationResource> context) {
        RootRotationSpec spec = Optional.ofNullable(resource.getSpec()).orElse(emptySpec());
        Optional<RootRotation> current = rotation.rotation();
        boolean mine = current.isPresent() && belongs(current.get(), resource);
        if (!mine) {
            if (previous != null && previous.rotationId() != null) {
                return Optional.empty(); // its rotation ran; a resource never starts a second one
            }
            RotationRequest request = request(spec); // a spec that cannot start is refused now, not at its turn
            Optional<RootRotation> running = current.filter(r -> !r.complete());
            if (running.isPresent()) {
                RootRotation r = running.get();
                return Optional.of("Queued behind rotation " + r.id() + " (in " + phaseName(r.phase())
                        + "); starts once it completes.");
            }
            Optional<String> unrecorded = current.flatMap(r -> completionNotRecorded(r, context));
            if (unrecorded.isPresent()) {
                // Its resource must show Complete before another rotation takes the record, or it never would.
                return Optional.of("Queued behind rotation " + unrecorded.get() + ", which is completing.");
            }
            Optional<String> older = olderQueued(resource, context);
            if (older.isPresent()) {
                return Optional.of("Queued behind RootRotation " + older.get() + ", which was created first.");
            }
            rotation.start(request, resource.getMetadata().getName());
            current = rotation.rotation();
        }
        RootRotation r = current.orElseThrow();
        if (r.complete()) {
            return Optional.empty();
        }
        if (Boolean.TRUE.equals(spec.rollback()) != r.rollback() && spec.rollback() != null) {
            rotation.rollBack();
            r = rotation.rotation().orElseThrow();
        }
        if (r.mode() == RotationMode.MANUAL && spec.targetPhase() != null) {
            rotation.allowUpTo(phase(spec.targetPhase()));
        }
        if (spec.force() != null
                && spec.force().reason() != null
                && !spec.force().reason().isBlank()) {
            String reason = spec.force().reason().strip();
            if (r.forced().stream().noneMatch(f -> f.reason().equals(reason))) {
                rotation.force(reason);
            }
        }
        return Optional.empty();
    }

    private static String phaseName(RotationPhase phase) {
        return RootRotationStatuses.phaseName(phase);
    }

    /**
     * The oldest other resource that is waiting to start (no rotation of its own yet, not refused), if it was
     * created before {@code resource}: the queue is first come, first served, by creation time, then name.
     */
    private static Optional<String> olderQueued(RootRotationResource resource, Context<RootRotationResource> context) {
        java.util.Comparator<RootRotationResource> byAge = java.util.Comparator.comparing(
                        (RootRotationResource other) ->
                                String.valueOf(other.getMetadata().getCreationTimestamp()))
                .thenComparing(other -> other.getMetadata().getName());
        // The informer's cache: a queued resource asks every second, which must not cost a call to the API server.
        return context.getPrimaryCache()
                .list()
                .filter(other -> !other.getMetadata()
                        .getName()
                        .equals(resource.getMetadata().getName()))
                .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
                .filter(RootRotationReconciler::waitsToStart)
                .filter(other -> byAge.compare(other, resource) < 0)
                .min(byAge)
                .map(other -> other.getMetadata().getName());
    }

    /** The name of the resource of the completed rotation {@code r}, while its status does not say Complete yet. */
    private static Optional<String> completionNotRecorded(RootRotation r, Context<RootRotationResource> context) {
        return context.getPrimaryCache()
                .list()
                .filter(other -> other.getStatus() != null
                        && r.id().equals(other.getStatus().rotationId()))
                .filter(other -> !Reasons.COMPLETE.equals(other.getStatus().phase()))
                .map(other -> other.getMetadata().getName())
                .findFirst();
    }

    /** Whether {@code other} is queued: it has not started a rotation and was not refused. */
    private static boolean waitsToStart(RootRotationResource other) {
        RootRotationStatus status = other.getStatus();
        if (status == null || status.rotationId() != null) {
            return status == null;
        }
        Condition stalled = Conditions.find(status.conditions(), Reasons.STALLED);
        return stalled == null || !"True".equals(stalled.getStatus());
    }

    private static RootRotationSpec emptySpec() {
        return new RootRotationSpec(null, null, null, null, null, null);
    }

    private RotationRequest request(RootRotationSpec spec) {
        RotationMode mode = "Manual".equals(spec.mode()) ? RotationMode.MANUAL : RotationMode.AUTOMATIC;
        boolean archive = Boolean.TRUE.equals(spec.archiveOldKey());
        RootRotationSpec.NewRoot newRoot = spec.newRoot();
        if (newRoot != null && newRoot.secretRef() != null) {
            String name = newRoot.secretRef().name();
            Secret secret;
            try {
                secret = secrets.get(name);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 403) {
                    throw e;
                }
                throw new RotationRefused("spec.newRoot.secretRef.name: the control plane may not read Secret " + name
                        + "; list it in the chart's rbac.rootSecrets");
            }
            if (secret == null) {
                throw new RotationRefused("spec.newRoot.secretRef.name: Secret " + name + " does not exist in the "
                        + "control plane's namespace");
            }
            CaMaterial material = secrets.material(secret);
            return new RotationRequest(
                    mode, Optional.of(material), KeyType.EC_P256, AuthorityMinter.DEFAULT_ROOT_VALIDITY, archive);
        }
        RootRotationSpec.Generate generate = newRoot == null ? null : newRoot.generate();
        KeyType keyType = KeyType.EC_P256;
        Duration validity = AuthorityMinter.DEFAULT_ROOT_VALIDITY;
        if (generate != null && generate.algorithm() != null) {
            try {
                keyType = KeyType.fromCliName(generate.algorithm());
            } catch (IllegalArgumentException e) {
                throw new RotationRefused("spec.newRoot.generate.algorithm: " + e.getMessage());
            }
        }
        if (generate != null && generate.validity() != null) {
            try {
                validity = HumanDuration.parse(generate.validity());
            } catch (IllegalArgumentException e) {
                throw new RotationRefused("spec.newRoot.generate.validity: " + e.getMessage());
            }
        }
        return new RotationRequest(mode, Optional.empty(), keyType, validity, archive);
    }

    static boolean belongs(RootRotation r, RootRotationResource resource) {
        var metadata = resource.getMetadata();
        if (!r.id().equals(metadata.getName())) {
            return false;
        }
        if (metadata.getAnnotations() != null
                && "true".equals(metadata.getAnnotations().get(ADOPTED))) {
            return true;
        }
        String created = metadata.getCreationTimestamp();
        return created == null || !r.startedAt().isBefore(Instant.parse(created).truncatedTo(ChronoUnit.SECONDS));
    }

    private static RotationPhase phase(String name) {
        return RotationPhase.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /** Events for what an admin should see in {@code kubectl get events}: phases, forced gates, an ageing root. */
    private void announce(RootRotationResource resource, RootRotationStatus previous, RootRotationStatus next) {
        String before = previous == null ? null : previous.phase();
        if (next.phase() != null && !next.phase().equals(before)) {
            events.record(
                    resource,
                    Reasons.NORMAL,
                    Reasons.PHASE_ENTERED,
                    "Rotation " + next.rotationId() + " entered "
                            + next.phase() + (Boolean.TRUE.equals(next.rollingBack()) ? " (rolling back)" : "")
                            + ", trust bundle v" + next.bundleVersion());
        }
        int forcedBefore = previous == null ? 0 : previous.forced().size();
        for (RootRotationStatus.ForcedGate gate : next.forced()
                .subList(
                        Math.min(forcedBefore, next.forced().size()),
                        next.forced().size())) {
            events.record(
                    resource,
                    Reasons.WARNING,
                    Reasons.GATE_FORCED,
                    "The " + gate.phase() + " gate was passed by force: " + gate.reason());
        }
        Condition expiring = Conditions.find(next.conditions(), ROOT_EXPIRING);
        Condition wasExpiring = previous == null ? null : Conditions.find(previous.conditions(), ROOT_EXPIRING);
        if (expiring != null
                && "True".equals(expiring.getStatus())
                && (wasExpiring == null || !"True".equals(wasExpiring.getStatus()))) {
            events.record(resource, Reasons.WARNING, ROOT_EXPIRING, expiring.getMessage());
        }
    }
}
