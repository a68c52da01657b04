/** {@code signet check|compile|explain}: the policy compiler offline, for people and for CI pipelines. */
package dev.signet.cli.policy;
