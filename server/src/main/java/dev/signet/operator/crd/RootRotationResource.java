package dev.signet.operator.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code RootRotation.security.signet.dev/v1}, cluster-scoped: a request to replace the mesh's root CA, and what the
 * leader observed of it. One rotation runs at a time.
 */
@Group(SignetGroup.NAME)
@Version(SignetGroup.VERSION)
@Kind("RootRotation")
@Plural("rootrotations")
@ShortNames("rr")
@Categories("signet")
@JsonClassDescription(
        "A request to replace the mesh's root CA, walked through Prepare, Activate and Retire, each phase gated on what the control plane observed of the workloads. One runs at a time; later ones queue. Status shows the phase, its gate and who holds it.")
@Singular("rootrotation")
@AdditionalPrinterColumn(
        name = "Phase",
        jsonPath = ".status.phase",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "The phase the rotation is in.")
@AdditionalPrinterColumn(
        name = "Rollback",
        jsonPath = ".status.rollingBack",
        type = AdditionalPrinterColumn.Type.BOOLEAN,
        getDescription = "True while the rotation returns to the root it started from.")
@AdditionalPrinterColumn(
        name = "Confirmed",
        jsonPath = ".status.confirmed",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Workloads that confirmed the phase's trust bundle, of those connected.")
@AdditionalPrinterColumn(
        name = "Old-Leaves",
        jsonPath = ".status.oldRootLeavesInUse",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Leaves in use under the root being replaced.")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "True once the rotation is complete.")
@AdditionalPrinterColumn(
        name = "Gate",
        jsonPath = ".status.gate",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        getDescription = "The gate holding this phase, as judged last.")
@AdditionalPrinterColumn(
        name = "Bundle",
        jsonPath = ".status.bundleVersion",
        type = AdditionalPrinterColumn.Type.INTEGER,
        priority = 1,
        getDescription = "The trust bundle version this phase publishes.")
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        getDescription = "The rotation's state: a phase, Queued, Refused or Complete.")
@AdditionalPrinterColumn(
        name = "Message",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        getDescription = "What the rotation waits for, or why it was refused.")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        getDescription = "CreationTimestamp is a timestamp representing the server time when this object was created.")
public class RootRotationResource extends CustomResource<RootRotationSpec, RootRotationStatus> {}
