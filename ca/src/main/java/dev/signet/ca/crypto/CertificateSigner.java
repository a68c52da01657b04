package dev.signet.ca.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * Signs TBSCertificates with one key and writes whole certificates as DER, encoding each TBSCertificate once.
 * Bouncy Castle's certificate builder encodes it to sign it and its holder encodes it again with the rest on
 * {@code getEncoded()}: for a leaf that second pass was about a twentieth of an issuance. Thread-safe; each signature
 * gets its own {@link Signature}.
 */
public final class CertificateSigner {

    private static final int SEQUENCE = 0x30;
    private static final int BIT_STRING = 0x03;

    private final String algorithm;
    private final AlgorithmIdentifier identifier;
    private final byte[] identifierDer;
    private final PrivateKey key;
    private final Provider provider;

    public CertificateSigner(CryptoProviders providers, String algorithm, PrivateKey key) {
        this.algorithm = algorithm;
        this.identifier = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
        this.key = key;
        this.provider = providers.forSignature(algorithm);
        try {
            this.identifierDer = identifier.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the TBSCertificate's {@code signature} field must name. */
    public AlgorithmIdentifier algorithmIdentifier() {
        return identifier;
    }

    /** The signed certificate: {@code SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }} (RFC 5280). */
    public byte[] sign(TBSCertificate tbs) {
        if (!identifier.equals(tbs.getSignature())) {
            throw new IllegalArgumentException("the TBSCertificate names "
                    + tbs.getSignature().getAlgorithm() + ", this signer signs with " + identifier.getAlgorithm());
        }
        byte[] tbsDer;
        byte[] signature;
        try {
            tbsDer = tbs.getEncoded(ASN1Encoding.DER);
            Signature signing = Signature.getInstance(algorithm, provider);
            signing.initSign(key);
            signing.update(tbsDer);
            signature = signing.sign();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a TBSCertificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + algorithm + ": " + e.getMessage(), e);
        }
        int bitStringContent = 1 + signature.length; // a leading octet: no unused bits
        int content = tbsDer.length + identifierDer.length + headerLength(bitStringContent) + bitStringContent;
        byte[] der = new byte[headerLength(content) + content];
        int at = header(der, 0, SEQUENCE, content);
        System.arraycopy(tbsDer, 0, der, at, tbsDer.length);
        at += tbsDer.length;
        System.arraycopy(identifierDer, 0, der, at, identifierDer.length);
        at += identifierDer.length;
        at = header(der, at, BIT_STRING, bitStringContent);
        der[at++] = 0;
        System.arraycopy(signature, 0, der, at, signature.length);
        return der;
    }

    /** Tag and definite length (X.690 8.1.3): short form below 128, else the length's octets after a count. */
    private static int headerLength(int length) {
        return 1 + (length < 0x80 ? 1 : 1 + lengthOctets(length));
    }

    private static int lengthOctets(int length) {
        int octets = 1;
        while ((length >>> (8 * octets)) != 0) {
            octets++;
        }
        return octets;
    }

    private static int header(byte[] into, int at, int tag, int length) {
        into[at++] = (byte) tag;
        if (length < 0x80) {
            into[at++] = (byte) length;
            return at;
        }
        int octets = lengthOctets(length);
        into[at++] = (byte) (0x80 | octets);
        for (int i = octets - 1; i >= 0; i--) {
            into[at++] = (byte) (length >>> (8 * i));
        }
        return at;
    }
}
