/**
 * Certificate signing requests: parsing PKCS#10 within a size limit, proof of possession, and the key policy.
 * What a CSR asks for (subject, SANs, extensions) is deliberately ignored: the identity is decided by whoever
 * authenticated the caller.
 */
package dev.signet.ca.csr;
