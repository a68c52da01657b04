package dev.signet.ca.csr;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.Pem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Turns untrusted bytes into a {@link ValidatedCsr}: size limit first (before any parsing), then strict DER,
 * then the signature algorithm allow-list, the key policy, and last the proof of possession (the CSR's
 * signature under its own key). Thread-safe.
 */
public final class CsrValidator {

    /** Generous for RSA-8192 in PEM (about 3 KiB), small enough that parsing cannot be used to exhaust memory. */
    public static final int DEFAULT_MAX_BYTES = 8 * 1024;

    private static final List<String> CSR_LABELS = List.of("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");

    private final KeyPolicy keyPolicy;
    private final int maxBytes;
    private final CryptoProviders providers;

    public CsrValidator(KeyPolicy keyPolicy, int maxBytes, CryptoProviders providers) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.keyPolicy = keyPolicy;
        this.maxBytes = maxBytes;
        this.providers = providers;
    }

    public CsrValidator(CryptoProviders providers) {
        this(KeyPolicy.DEFAULT, DEFAULT_MAX_BYTES, providers);
    }

    public KeyPolicy keyPolicy() {
        return keyPolicy;
    }

    /** Validates a PKCS#10 request in PEM or DER form. */
    public ValidatedCsr validate(byte[] input) {
        if (input == null || input.length == 0) {
            throw new CaException(Reason.MALFORMED_CSR, "the CSR is empty");
        }
        if (input.length > maxBytes) {
            throw new CaException(
                    Reason.CSR_TOO_LARGE, "the CSR is " + input.length + " bytes; the limit is " + maxBytes);
        }
        byte[] der = Pem.looksLikePem(input)
                ? Pem.single(new String(input, StandardCharsets.US_ASCII), CSR_LABELS)
                        .der()
                : input;
        CertificationRequest request = parse(der);
        CertificationRequestInfo info = request.getCertificationRequestInfo();
        SignatureAlgorithms.Accepted algorithm = SignatureAlgorithms.lookup(
                        request.getSignatureAlgorithm().getAlgorithm())
                .orElseThrow(() -> new CaException(
                        Reason.UNSUPPORTED_SIGNATURE_ALGORITHM,
                        "the CSR is signed with "
                                + request.getSignatureAlgorithm().getAlgorithm().getId()
                                + "; accepted: ECDSA or RSA with SHA-256/384/512, and Ed25519"));
        SubjectPublicKeyInfo key = info.getSubjectPublicKeyInfo();
        ValidatedCsr validated = keyPolicy.check(key);
        if (validated.keyKind().family() != algorithm.family()) {
            throw new CaException(
                    Reason.CSR_SIGNATURE_INVALID,
                    "the CSR's signature algorithm (" + algorithm.jcaName() + ") does not fit its "
                            + validated.keyKind().description() + " key");
        }
        verifyProofOfPossession(request, info, key, algorithm);
        return validated;
    }

    private static CertificationRequest parse(byte[] der) {
        try {
            // fromByteArray refuses trailing bytes and lengths that run past the input.
            return CertificationRequest.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (Exception e) {
            throw new CaException(Reason.MALFORMED_CSR, "the CSR is not valid PKCS#10 DER: " + describe(e), e);
        }
    }

    private void verifyProofOfPossession(
            CertificationRequest request,
            CertificationRequestInfo info,
            SubjectPublicKeyInfo key,
            SignatureAlgorithms.Accepted algorithm) {
        String keyAlgorithm = algorithm.family().jcaName();
        Provider provider = providers.forVerification(algorithm.jcaName(), keyAlgorithm);
        boolean valid;
        try {
            PublicKey publicKey =
                    CryptoProviders.verificationKey(provider, keyAlgorithm, key.getEncoded(ASN1Encoding.DER));
            Signature verifier = Signature.getInstance(algorithm.jcaName(), provider);
            verifier.initVerify(publicKey);
            verifier.update(info.getEncoded(ASN1Encoding.DER));
            valid = verifier.verify(request.getSignature().getOctets());
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            throw new CaException(
                    Reason.CSR_SIGNATURE_INVALID,
                    "the CSR's signature or public key cannot be checked: " + describe(e),
                    e);
        }
        if (!valid) {
            throw new CaException(
                    Reason.CSR_SIGNATURE_INVALID,
                    "the CSR's signature does not verify under its public key (no proof of possession)");
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
