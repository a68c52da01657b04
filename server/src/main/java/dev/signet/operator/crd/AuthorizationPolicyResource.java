package dev.signet.operator.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.signet.policy.model.AuthorizationPolicySpec;
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

/** {@code AuthorizationPolicy.security.signet.dev/v1}: Istio's AuthorizationPolicy, field for field. */
@Group(SignetGroup.NAME)
@Version(SignetGroup.VERSION)
@Kind("AuthorizationPolicy")
@Plural("authorizationpolicies")
@ShortNames("sap")
@Categories("signet")
@JsonClassDescription(
        "Istio's AuthorizationPolicy, field for field: which requests the selected workloads allow or deny. Signet compiles it into each workload's proxy rules; status says whether this generation is in force.")
@Singular("authorizationpolicy")
@AdditionalPrinterColumn(
        name = "Action",
        jsonPath = ".spec.action",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "The operation to take.")
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
public class AuthorizationPolicyResource extends CustomResource<AuthorizationPolicySpec, PolicyStatus>
        implements Namespaced {}
