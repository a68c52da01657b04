package dev.signet.ca.authority;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.Pem;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CA's files in the layout of Istio's plug-in CA ({@code cacerts}), held in memory: what a {@link CaDirectory} keeps
 * on disk and a Kubernetes Secret keeps under the same keys. {@code origin} names where they came from, for errors.
 */
public record CaMaterial(Map<String, String> files, String origin) {

    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final String ROOT_KEY = "root-key.pem";
    public static final List<String> NAMES = List.of(CA_CERT, CA_KEY, CERT_CHAIN, ROOT_CERT, ROOT_KEY);

    public CaMaterial {
        files = Map.copyOf(files);
    }

    /** The files of a freshly minted authority, the root key included. */
    public static CaMaterial of(MintedAuthority authority, String origin) {
        SigningAuthority signer = authority.signer();
        List<X509Certificate> chainToRoot = new ArrayList<>(signer.chain());
        chainToRoot.add(signer.root());
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ROOT_KEY, Pem.encode(authority.root().privateKey()));
        files.put(CA_KEY, Pem.encode(signer.certifiedKey().privateKey()));
        files.put(ROOT_CERT, Pem.encode(signer.root()));
        files.put(CA_CERT, Pem.encode(signer.certificate()));
        files.put(CERT_CHAIN, Pem.encode(chainToRoot));
        return new CaMaterial(files, origin);
    }

    /** True when it holds a signer (certificate and key). */
    public boolean hasSigner() {
        return files.containsKey(CA_CERT) && files.containsKey(CA_KEY);
    }

    /** Parses and checks the signer, its chain and root (and the root key when present). */
    public CaDirectory.Contents load(CryptoProviders providers) {
        List<X509Certificate> signerCertificates = Pem.certificates(require(CA_CERT));
        X509Certificate signerCertificate = signerCertificates.get(0);
        PrivateKey signerKey = Pem.privateKey(require(CA_KEY), providers.bouncyCastle());
        List<X509Certificate> roots = Pem.certificates(require(ROOT_CERT));
        if (roots.size() != 1) {
            throw new CaException(
                    Reason.INVALID_AUTHORITY,
                    origin + " " + ROOT_CERT + " must hold exactly one certificate, holds " + roots.size());
        }
        X509Certificate root = roots.get(0);
        List<X509Certificate> intermediates = new ArrayList<>();
        if (files.containsKey(CERT_CHAIN)) {
            for (X509Certificate certificate : Pem.certificates(files.get(CERT_CHAIN))) {
                if (!certificate.equals(signerCertificate) && !certificate.equals(root)) {
                    intermediates.add(certificate);
                }
            }
        }
        SigningAuthority signer =
                SigningAuthority.of(new CertifiedKey(signerCertificate, signerKey), intermediates, root, providers);
        Optional<PrivateKey> rootKey =
                Optional.ofNullable(files.get(ROOT_KEY)).map(pem -> Pem.privateKey(pem, providers.bouncyCastle()));
        return new CaDirectory.Contents(rootKey.map(signer::withRootKey).orElse(signer), rootKey);
    }

    private String require(String name) {
        String content = files.get(name);
        if (content == null) {
            throw new CaException(Reason.INVALID_AUTHORITY, "missing " + name + " in " + origin);
        }
        return content;
    }

    /** Never prints key material: only which files there are and where from. */
    @Override
    public String toString() {
        return "CaMaterial[" + origin + ": " + new java.util.TreeSet<>(files.keySet()) + "]";
    }
}
