/** {@code signet ca ...}: create a CA on disk, sign a CSR with it, and inspect certificates. */
package dev.signet.cli.ca;
