/** A real Kubernetes API server and the packaged {@code signet serve} on it, for the benchmarks of the cluster path. */
package dev.signet.benchmarks.cluster;
