/** SPIFFE IDs: parsing and validation per the SPIFFE ID specification, and the Kubernetes service-account form. */
package dev.signet.ca.spiffe;
