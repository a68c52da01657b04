package dev.signet.operator.kubernetes;

import dev.signet.operator.crd.PolicyStatus;
import dev.signet.policy.model.Resource;
import dev.signet.policy.validate.FailClosed;
import dev.signet.policy.validate.FieldError;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The leader's view of one policy kind: validates each generation with the same validator that decides what is in
 * force, writes the status when it changed (from a fresh object: name, namespace and status only), and records an Event
 * when a generation is rejected.
 */
abstract class PolicyStatusReconciler<R extends CustomResource<?, PolicyStatus>> implements Reconciler<R> {

    private static final Duration PENDING_RECHECK = Duration.ofMillis(300);

    private final ClusterSource source;
    private final ResourceEvents events;
    private final Clock clock;
    private final Function<R, Resource> toModel;
    private final Supplier<R> fresh;

    PolicyStatusReconciler(
            ClusterSource source,
            ResourceEvents events,
            Clock clock,
            Function<R, Resource> toModel,
            Supplier<R> fresh) {
        this.source = source;
        this.events = events;
        this.clock = clock;
        this.toModel = toModel;
        this.fresh = fresh;
    }

    @Override
    public UpdateControl<R> reconcile(R resource, Context<R> context) {
        Resource model = toModel.apply(resource);
        long generation =
                Optional.ofNullable(resource.getMetadata().getGeneration()).orElse(0L);
        List<FieldError> errors = source.errors(model);
        PolicyConditions.Observed observed = new PolicyConditions.Observed(
                generation,
                errors,
                source.generationInForce(
                        model.kind(),
                        resource.getMetadata().getNamespace(),
                        resource.getMetadata().getName()),
                errors.isEmpty()
                        ? Optional.empty()
                        : FailClosed.of(model, errors).map(FailClosed.StandIn::meaning));
        PolicyStatus next = PolicyConditions.decide(observed, resource.getStatus(), clock.instant());
        if (PolicyConditions.newlyRejected(resource.getStatus(), next)) {
            events.rejected(resource, PolicyConditions.errorsMessage(observed.errors()));
        }
        UpdateControl<R> control;
        if (next.equals(resource.getStatus())) {
            control = UpdateControl.noUpdate();
        } else {
            R patch = fresh.get();
            patch.setMetadata(new ObjectMetaBuilder()
                    .withName(resource.getMetadata().getName())
                    .withNamespace(resource.getMetadata().getNamespace())
                    .build());
            patch.setStatus(next);
            control = UpdateControl.patchStatus(patch);
        }
        return observed.pending() ? control.rescheduleAfter(PENDING_RECHECK) : control;
    }
}
