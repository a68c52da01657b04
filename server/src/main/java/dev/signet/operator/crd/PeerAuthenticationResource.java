package dev.signet.operator.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.signet.policy.model.PeerAuthenticationSpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
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
@ShortNames("spa")
@Categories("signet")
@JsonClassDescription(
        "Istio's PeerAuthentication, field for field: whether the selected workloads accept plain text, mutual TLS or both. Status says whether this generation is in force.")
@Singular("peerauthentication")
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
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        getDescription = "Why Ready is what it is.")
@AdditionalPrinterColumn(
        name = "Message",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        getDescription = "What Ready says, naming the field when the spec is invalid.")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        getDescription = "CreationTimestamp is a timestamp representing the server time when this object was created.")
public class PeerAuthenticationResource extends CustomResource<PeerAuthenticationSpec, PolicyStatus>
        implements Namespaced {}
