/**
 * Measurements the control plane keeps without a metrics framework (latency histograms, gRPC calls by method and
 * code), so that the server can export them as Prometheus histograms and counters and a benchmark can read them.
 */
package dev.signet.controlplane.metrics;
