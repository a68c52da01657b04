/**
 * The control-plane process: a Quarkus application around {@code dev.signet.controlplane} (configuration, health,
 * metrics); the Kubernetes reconcilers join it with the operator work.
 */
package dev.signet.operator;
