package dev.signet.operator.crd;

import dev.signet.policy.model.AuthorizationPolicySpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** {@code AuthorizationPolicy.security.signet.dev/v1}: Istio's AuthorizationPolicy, field for field. */
@Group(SignetGroup.NAME)
@Version(SignetGroup.VERSION)
@Kind("AuthorizationPolicy")
@Plural("authorizationpolicies")
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
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        getDescription = "CreationTimestamp is a timestamp representing the server time when this object was created.")
public class AuthorizationPolicyResource extends CustomResource<AuthorizationPolicySpec, PolicyStatus>
        implements Namespaced {}
