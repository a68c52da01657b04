/** Standalone mode's source of truth: a folder of policies and Workload documents, reloaded when it changes. */
package dev.signet.controlplane.standalone;
