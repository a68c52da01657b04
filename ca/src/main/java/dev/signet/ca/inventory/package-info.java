/** The inventory of issued leaves: what a root rotation consults to know that no live leaf depends on an old root. */
package dev.signet.ca.inventory;
