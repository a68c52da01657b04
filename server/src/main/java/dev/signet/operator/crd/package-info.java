/**
 * The custom resources as Kubernetes sees them ({@code security.signet.dev/v1}): the specs are the policy compiler's
 * own records, so the CRD schema, the offline {@code check} and the reconcilers read one model. The CRDs in
 * {@code crds/} are generated from these classes.
 */
package dev.signet.operator.crd;
