/**
 * Reading YAML into resources: multi-document files, every structural error (unknown field, wrong type, bad
 * enum) reported with its field path, a bad document never hiding the others' errors.
 */
package dev.signet.policy.load;
