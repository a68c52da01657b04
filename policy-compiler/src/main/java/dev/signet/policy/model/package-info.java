/**
 * The resources Signet reads, field for field as Istio's {@code security.istio.io/v1} spec (plus Signet's
 * {@code Workload} for standalone mode). Immutable records; absent lists read as empty.
 */
package dev.signet.policy.model;
