/** {@code signet proxy-status}: every connected proxy's xDS state across the control plane's replicas. */
package dev.signet.cli.proxy;
