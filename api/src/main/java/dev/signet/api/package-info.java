/**
 * The wire contract between the control plane and workloads. The messages and stubs are generated from
 * {@code src/main/proto} into {@code dev.signet.api.ca.v1}.
 */
package dev.signet.api;
