/**
 * Benchmarks. Each prints its figures beside a reference measured in the same run on the same machine, and ends
 * with {@code ratio: <figure / reference>}; none is a test, and no test asserts a time.
 */
package dev.signet.benchmarks;
