/** Benchmarks of the control plane over real gRPC: the CA service under load, and xDS convergence at scale. */
package dev.signet.benchmarks.plane;
