/**
 * The policy compiler: Istio-compatible PeerAuthentication and AuthorizationPolicy, their validation, workload
 * selection and inheritance, and compilation to per-workload Envoy xDS resources. No Kubernetes client, no gRPC
 * server. (Being built: see the policy-compiler issue.)
 */
package dev.signet.policy;
