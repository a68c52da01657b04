/**
 * Certificate authorities: minting roots and intermediates (and cross-signing a new root with the old), loading a
 * plug-in CA from PEM files, and the signing authority used for issuance. A root rotation's phases are the control
 * plane's ({@code dev.signet.controlplane.rotation}); here an authority is only what signs.
 */
package dev.signet.ca.authority;
