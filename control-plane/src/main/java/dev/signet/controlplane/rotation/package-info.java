/**
 * Root CA rotation as a state machine that advances on observed facts: which bundle version every connected
 * workload has confirmed, which namespaces carry it, and whether any leaf in use still chains to the old root.
 * The classes here decide; the control plane observes, persists and acts.
 */
package dev.signet.controlplane.rotation;
