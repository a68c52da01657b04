/** Benchmarks of the CA library: issuance throughput against the machine's OpenSSL ECDSA ceiling. */
package dev.signet.benchmarks.ca;
