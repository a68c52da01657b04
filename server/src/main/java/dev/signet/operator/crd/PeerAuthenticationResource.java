package dev.signet.operator.crd;

import dev.signet.policy.model.PeerAuthenticationSpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** {@code PeerAuthentication.security.signet.dev/v1}: Istio's PeerAuthentication, field for field. */
@Group(SignetGroup.NAME)
@Version(SignetGroup.VERSION)
@Kind("PeerAuthentication")
@Plural("peerauthentications")
@Singular("peerauthentication")
@ShortNames("pa")
@AdditionalPrinterColumn(
        name = "Mode",
        jsonPath = ".spec.mtls.mode",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Defines the mTLS mode used for peer authentication.")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Whether this generation is in force.")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        getDescription = "CreationTimestamp is a timestamp representing the server time when this object was created.")
public class PeerAuthenticationResource extends CustomResource<PeerAuthenticationSpec, PolicyStatus>
        implements Namespaced {}
