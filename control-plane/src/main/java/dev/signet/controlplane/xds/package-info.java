/**
 * The xDS server: state-of-the-world ADS on gRPC-Java, written on Envoy's API stubs rather than on
 * java-control-plane's cache, because of that cache's weak spots (a NACK re-sent in a hot loop, no answer for a
 * missing resource, one version for every type). Each proxy proves its workload with its certificate and receives
 * only its own inbound configuration and the outbound resources it asks for; ACKs and NACKs are tracked per proxy.
 */
package dev.signet.controlplane.xds;
