/**
 * Who may use the control plane's admin endpoints: the credential kept in the state directory, and the rules that
 * keep browsers and other hosts out, whatever HTTP server carries the endpoints.
 */
package dev.signet.controlplane.admin;
