/** Benchmarks of the policy compiler at mesh scale: selection, full and incremental compilation, heap. */
package dev.signet.benchmarks.policy;
