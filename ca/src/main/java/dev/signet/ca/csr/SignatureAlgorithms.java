package dev.signet.ca.csr;

import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** The CSR signature algorithms accepted (SHA-2 family and Ed25519 only), with their JCA names and key families. */
final class SignatureAlgorithms {

    record Accepted(String jcaName, LeafKeyKind.Family family) {}

    private static final Map<ASN1ObjectIdentifier, Accepted> ACCEPTED = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, new Accepted("SHA256withECDSA", LeafKeyKind.Family.EC),
            X9ObjectIdentifiers.ecdsa_with_SHA384, new Accepted("SHA384withECDSA", LeafKeyKind.Family.EC),
            X9ObjectIdentifiers.ecdsa_with_SHA512, new Accepted("SHA512withECDSA", LeafKeyKind.Family.EC),
            PKCSObjectIdentifiers.sha256WithRSAEncryption, new Accepted("SHA256withRSA", LeafKeyKind.Family.RSA),
            PKCSObjectIdentifiers.sha384WithRSAEncryption, new Accepted("SHA384withRSA", LeafKeyKind.Family.RSA),
            PKCSObjectIdentifiers.sha512WithRSAEncryption, new Accepted("SHA512withRSA", LeafKeyKind.Family.RSA),
            EdECObjectIdentifiers.id_Ed25519, new Accepted("Ed25519", LeafKeyKind.Family.ED25519));

    private SignatureAlgorithms() {}

    static Optional<Accepted> lookup(ASN1ObjectIdentifier oid) {
        return Optional.ofNullable(ACCEPTED.get(oid));
    }
}
