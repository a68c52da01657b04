package dev.signet.ca.csr;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** A CSR that passed every check: all the CA takes from it is the public key the caller proved it holds. */
public record ValidatedCsr(SubjectPublicKeyInfo publicKey, LeafKeyKind keyKind, int keyBits) {}
