/**
 * The workload agent: generates keys locally, requests certificates with the workload's token, writes and renews
 * the certificate files, and writes the gRPC xDS bootstrap. (Being built: see the control-plane issue.)
 */
package dev.signet.agent;
