package dev.signet.ca.crypto;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA1Digest;

/** Key identifiers per RFC 5280 section 4.2.1.2, method 1: SHA-1 of the subjectPublicKey bits. */
public final class KeyIdentifiers {

    private KeyIdentifiers() {}

    public static byte[] of(SubjectPublicKeyInfo key) {
        byte[] bits = key.getPublicKeyData().getBytes();
        SHA1Digest digest = new SHA1Digest();
        digest.update(bits, 0, bits.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    /** The certificate's own subject key identifier, or one computed from its key when it has none. */
    public static byte[] of(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            return SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(extension).getOctets())
                    .getKeyIdentifier();
        }
        return of(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()));
    }
}
