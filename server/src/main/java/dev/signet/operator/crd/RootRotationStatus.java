package dev.signet.operator.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/** What the leader observed of a root rotation, as {@code signet rotate status} shows it standalone. */
@JsonClassDescription(
        "What the leader observed of this rotation: its phase, the gate holding it, the workloads that confirmed and those that lag, and its conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RootRotationStatus(
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription("The rotation's id in the control plane's records.")
        String rotationId,

        @JsonPropertyDescription("Prepare, Activate, Retire or Complete.")
        String phase,

        @JsonPropertyDescription("Whether the rotation is on its way back to the root it started from.")
        Boolean rollingBack,

        @JsonPropertyDescription("The trust bundle version this phase publishes.")
        Long bundleVersion,

        @JsonPropertyDescription("The gate holding this phase, as judged last.")
        String gate,

        @JsonPropertyDescription("Whether the gate is open: the rotation then takes its next phase at advancesAt.")
        Boolean gateOpen,

        @JsonPropertyDescription("When the rotation takes its next phase if nothing changes: the settle time after its "
                + "gate opened (or was forced). Absent while the gate is shut or a Manual rotation is at its target.")
        String advancesAt,

        @JsonPropertyDescription("Workloads that confirmed the phase's bundle, of those connected: N/M.")
        String confirmed,

        @JsonPropertyDescription("Up to ten workloads or leaf holders that keep the gate shut.")
        List<String> laggards,

        @JsonPropertyDescription("Namespaces whose signet-root-cert ConfigMap carries the phase's bundle: N/M.")
        String namespacesPublished,

        @JsonPropertyDescription("Leaves in use under the root being replaced.")
        Long oldRootLeavesInUse,

        @JsonPropertyDescription("The SHA-256 fingerprints of the root being replaced and of its successor.")
        String fromRoot,

        String toRoot,

        @JsonPropertyDescription("When each phase was entered.")
        Map<String, String> phaseTimes,

        @JsonPropertyDescription("Gates passed by force, with the reasons given.")
        List<ForcedGate> forced,

        @JsonPropertyDescription("Accepted: the request is valid and runs (or is queued). Progressing: phases remain. "
                + "RootExpiring: the signing root is within its expiry margin. Ready: the rotation is complete. "
                + "Reconciling: it runs, or waits its turn (reason Queued). Stalled: it was refused.")
        List<Condition> conditions) {

    public RootRotationStatus {
        laggards = laggards == null ? List.of() : List.copyOf(laggards);
        forced = forced == null ? List.of() : List.copyOf(forced);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        phaseTimes = phaseTimes == null ? Map.of() : Map.copyOf(phaseTimes);
    }

    /** Before its rotation starts: nothing observed yet. */
    public static RootRotationStatus pending(long generation) {
        return new RootRotationStatus(
                generation,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                Map.of(),
                List.of(),
                List.of());
    }

    /** This status with {@code next} as its conditions. */
    public RootRotationStatus withConditions(List<Condition> next) {
        return new RootRotationStatus(
                observedGeneration,
                rotationId,
                phase,
                rollingBack,
                bundleVersion,
                gate,
                gateOpen,
                advancesAt,
                confirmed,
                laggards,
                namespacesPublished,
                oldRootLeavesInUse,
                fromRoot,
                toRoot,
                phaseTimes,
                forced,
                next);
    }

    /** A gate passed by force: the phase it held, the reason, when. */
    public record ForcedGate(String phase, String reason, String at) {}
}
