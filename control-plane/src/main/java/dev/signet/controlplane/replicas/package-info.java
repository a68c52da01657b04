/**
 * What each replica of a control plane observed (bundle confirmations of the agents connected to it, the leaves it
 * issued that are in use, the serials renewals named as replaced), shared so that the replica driving a rotation
 * judges its gates on the whole mesh rather than on its own connections.
 */
package dev.signet.controlplane.replicas;
