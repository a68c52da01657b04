/** {@code signet serve|token|agent}: the control plane, standalone tokens, and the workload agent. */
package dev.signet.cli.plane;
