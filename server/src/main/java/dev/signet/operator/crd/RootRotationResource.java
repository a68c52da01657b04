package dev.signet.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
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
@Singular("rootrotation")
@ShortNames("rr")
@AdditionalPrinterColumn(
        name = "Phase",
        jsonPath = ".status.phase",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "The phase the rotation is in.")
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
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        getDescription = "CreationTimestamp is a timestamp representing the server time when this object was created.")
public class RootRotationResource extends CustomResource<RootRotationSpec, RootRotationStatus> {}
