package dev.signet.ca.crypto;

import dev.signet.ca.CaException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A strict PEM codec (RFC 7468): blocks must be well formed, base64 must be valid, and text between blocks is
 * allowed (as openssl writes it) but nothing is guessed. Refusals are {@link CaException.Reason#MALFORMED_PEM}.
 */
public final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final int LINE_LENGTH = 64;

    private Pem() {}

    /** True when the bytes look like PEM text rather than DER. */
    public static boolean looksLikePem(byte[] input) {
        int i = 0;
        while (i < input.length && Character.isWhitespace(input[i])) {
            i++;
        }
        byte[] begin = BEGIN.getBytes(StandardCharsets.US_ASCII);
        if (input.length - i < begin.length) {
            return false;
        }
        for (int j = 0; j < begin.length; j++) {
            if (input[i + j] != begin[j]) {
                return false;
            }
        }
        return true;
    }

    /** Every block in the text, in order. */
    public static List<PemBlock> decode(String text) {
        List<PemBlock> blocks = new ArrayList<>();
        int position = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, position);
            if (begin < 0) {
                break;
            }
            int labelEnd = text.indexOf(DASHES, begin + BEGIN.length());
            int lineEnd = text.indexOf('\n', begin);
            if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd)) {
                throw malformed("a BEGIN line is not closed by \"-----\"");
            }
            String label = text.substring(begin + BEGIN.length(), labelEnd);
            String endLine = END + label + DASHES;
            int end = text.indexOf(endLine, labelEnd + DASHES.length());
            if (end < 0) {
                throw malformed("the \"" + label + "\" block has no \"" + endLine + "\" line");
            }
            String body = text.substring(labelEnd + DASHES.length(), end);
            blocks.add(new PemBlock(label, decodeBase64(label, body)));
            position = end + endLine.length();
        }
        return blocks;
    }

    /** The one block with one of the given labels; anything else is refused. */
    public static PemBlock single(String text, Collection<String> labels) {
        List<PemBlock> blocks = decode(text);
        if (blocks.isEmpty()) {
            throw malformed("no PEM block found; expected " + String.join(" or ", labels));
        }
        if (blocks.size() > 1) {
            throw malformed("expected exactly one PEM block, found " + blocks.size());
        }
        PemBlock block = blocks.get(0);
        if (!labels.contains(block.label())) {
            throw malformed("expected a PEM block labelled " + String.join(" or ", labels) + ", found \""
                    + block.label() + "\"");
        }
        return block;
    }

    /** All certificates in the text; refuses text with no certificate or with blocks of another kind. */
    public static List<X509Certificate> certificates(String text) {
        List<PemBlock> blocks = decode(text);
        if (blocks.isEmpty()) {
            throw malformed("no CERTIFICATE block found");
        }
        List<X509Certificate> certificates = new ArrayList<>(blocks.size());
        for (PemBlock block : blocks) {
            if (!block.label().equals("CERTIFICATE")) {
                throw malformed("expected only CERTIFICATE blocks, found \"" + block.label() + "\"");
            }
            certificates.add(certificate(block.der()));
        }
        return certificates;
    }

    /** Parses one DER certificate. */
    public static X509Certificate certificate(byte[] der) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw malformed("a CERTIFICATE block does not hold a valid X.509 certificate: " + e.getMessage());
        }
    }

    /**
     * One private key in PKCS#8 ({@code PRIVATE KEY}), SEC 1 ({@code EC PRIVATE KEY}) or PKCS#1
     * ({@code RSA PRIVATE KEY}) form; encrypted keys are refused with a hint.
     */
    public static PrivateKey privateKey(String text, Provider bouncyCastle) {
        PemBlock block =
                single(text, List.of("PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"));
        if (block.label().equals("ENCRYPTED PRIVATE KEY")) {
            throw malformed("the private key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN)");
        }
        try (PEMParser parser = new PEMParser(new StringReader(encode(block.label(), block.der())))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(bouncyCastle);
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw malformed("the " + block.label() + " block does not hold a private key");
        } catch (IOException | RuntimeException e) {
            if (e instanceof CaException ca) {
                throw ca;
            }
            throw malformed("the " + block.label() + " block does not hold a valid private key: " + e.getMessage());
        }
    }

    public static String encode(String label, byte[] der) {
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder out = new StringBuilder(base64.length() + base64.length() / LINE_LENGTH + 64);
        out.append(BEGIN).append(label).append(DASHES).append('\n');
        for (int i = 0; i < base64.length(); i += LINE_LENGTH) {
            out.append(base64, i, Math.min(base64.length(), i + LINE_LENGTH)).append('\n');
        }
        out.append(END).append(label).append(DASHES).append('\n');
        return out.toString();
    }

    public static String encodeCertificate(byte[] der) {
        return encode("CERTIFICATE", der);
    }

    public static String encode(X509Certificate certificate) {
        try {
            return encodeCertificate(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    public static String encode(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(certificate -> out.append(encode(certificate)));
        return out.toString();
    }

    /** PKCS#8 {@code PRIVATE KEY}, the form openssl 3, Go and Envoy all read. */
    public static String encode(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    private static byte[] decodeBase64(String label, String body) {
        StringBuilder compact = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == ':') {
                throw malformed(
                        "the \"" + label + "\" block has headers (an encrypted legacy key?), which are not supported");
            }
            if (!Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        if (compact.length() == 0) {
            throw malformed("the \"" + label + "\" block is empty");
        }
        try {
            return Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw malformed("the \"" + label + "\" block is not valid base64: " + e.getMessage());
        }
    }

    private static CaException malformed(String message) {
        return new CaException(CaException.Reason.MALFORMED_PEM, message);
    }
}
