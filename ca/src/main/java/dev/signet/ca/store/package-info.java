/** Writing certificates and keys to disk so that no reader ever sees half a file, and keys stay owner-only. */
package dev.signet.ca.store;
