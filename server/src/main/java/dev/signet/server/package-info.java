/**
 * The control plane as a Quarkus application: configuration (SmallRye Config, {@code signet.*}), the control plane
 * as a bean, health checks, Micrometer metrics in Prometheus format, and {@code /debug/proxies}, all on the HTTP
 * port (15014, loopback by default).
 */
package dev.signet.server;
