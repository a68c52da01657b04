/** The standalone control plane's state directory (default {@code .signet/}): CA material, token key, bundle. */
package dev.signet.controlplane.state;
