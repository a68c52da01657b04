/** The offline check of a folder of policies and workloads: load, validate, compile everything, report. */
package dev.signet.policy.check;
