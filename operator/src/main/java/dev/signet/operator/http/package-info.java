/** The control plane's HTTP port (15014 by default, loopback): health, readiness, Prometheus metrics, proxy status. */
package dev.signet.operator.http;
