/**
 * JWT-SVIDs: the P-256 key each authority signs them with (derived from the authority's own key, so every replica
 * holds the same one and it rotates with the root), minting for an identity the caller already authenticated, and
 * validation against the keys a trust bundle publishes.
 */
package dev.signet.ca.jwt;
