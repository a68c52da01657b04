/**
 * Certificate authorities: minting roots and intermediates, loading a plug-in CA from PEM files, the signing
 * authority used for issuance, and the phases an authority walks through during a root rotation.
 */
package dev.signet.ca.authority;
