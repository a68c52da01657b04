package dev.signet.operator.kubernetes;

import dev.signet.operator.crd.AuthorizationPolicyResource;
import java.time.Clock;

/** Status and Events of AuthorizationPolicies. */
final class AuthorizationPolicyStatusReconciler extends PolicyStatusReconciler<AuthorizationPolicyResource> {

    AuthorizationPolicyStatusReconciler(ClusterSource source, ResourceEvents events, Clock clock) {
        super(source, events, clock, ModelMapping::authorizationPolicy, AuthorizationPolicyResource::new);
    }
}
