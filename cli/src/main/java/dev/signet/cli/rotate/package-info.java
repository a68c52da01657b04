/** {@code signet rotate}: root CA rotation against a running standalone control plane's loopback admin endpoint. */
package dev.signet.cli.rotate;
