/** {@code signet demo}: the control plane, agents and three real gRPC xDS workloads in one process. */
package dev.signet.cli.demo;
