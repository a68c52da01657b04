/**
 * The control plane as a library: the CA service, workload authentication, the xDS server, the standalone folder
 * source and the state directory, wired by {@link dev.signet.controlplane.ControlPlane}. The {@code operator}
 * module runs it as a Quarkus application; the CLI's demo and the tests run it directly.
 */
package dev.signet.controlplane;
