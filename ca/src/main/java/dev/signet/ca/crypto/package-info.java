/**
 * Keys, JCA providers and PEM. Signing and verifying go to Conscrypt (BoringSSL) where its native library
 * loads, because its ECDSA is several times Bouncy Castle's; Bouncy Castle's provider serves everything else.
 */
package dev.signet.ca.crypto;
