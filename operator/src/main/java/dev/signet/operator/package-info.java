/**
 * The control plane process: reconcilers, the CA gRPC service, the xDS server, trust-bundle publication, leader
 * election, metrics and health; standalone from a folder of YAML when no cluster is configured.
 * (Being built: see the control-plane and operator issues.)
 */
package dev.signet.operator;
