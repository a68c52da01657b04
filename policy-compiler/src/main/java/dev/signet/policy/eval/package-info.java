/**
 * The reference evaluator: "is this request allowed, and by which rule?", computed straight from the policies'
 * meaning. It is what {@code signet explain} answers with, and what the compiled RBAC is tested against.
 */
package dev.signet.policy.eval;
