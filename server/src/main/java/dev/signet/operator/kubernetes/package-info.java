/**
 * Kubernetes mode: the CA's material in a Secret, TokenReview authentication, informers that feed the policy compiler
 * on every replica, and the leader's writers (policy status, Events, the trust bundle ConfigMap of every namespace).
 */
package dev.signet.operator.kubernetes;
