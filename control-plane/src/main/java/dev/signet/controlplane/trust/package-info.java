/**
 * What the control plane trusts and signs with right now, and how a change of it reaches everything that depends on
 * it: the CA, the published bundle, connected agents and the control plane's own serving certificate.
 */
package dev.signet.controlplane.trust;
