/** Versioned trust bundles: the roots every peer trusts, as PEM and as SPIFFE bundles (JWK sets). */
package dev.signet.ca.bundle;
