/** X509-SVID issuance per the SPIFFE X509-SVID specification, within the CA's TTL policy. */
package dev.signet.ca.issue;
