package dev.signet.controlplane.server;

import dev.signet.ca.crypto.CryptoProviders;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server's key, chain and the roots it trusts for client certificates, swappable at run time: a renewed
 * serving certificate or a new trust bundle applies to the next handshake, with no restart and no dropped
 * connection.
 */
public final class ServingCredentials {

    private static final String ALIAS = "signet";

    private record Material(PrivateKey key, X509Certificate[] chain, X509ExtendedTrustManager trust) {}

    private final AtomicReference<Material> current = new AtomicReference<>();

    public ServingCredentials(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots) {
        update(key, chain, roots);
    }

    public void update(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots) {
        current.set(new Material(key, chain.toArray(new X509Certificate[0]), trustManager(roots)));
    }

    /** The certificate presented now (leaf first). */
    public List<X509Certificate> chain() {
        return List.of(current.get().chain());
    }

    public X509ExtendedKeyManager keyManager() {
        return new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[0];
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return new String[] {ALIAS};
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return ALIAS;
            }

            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                return ALIAS;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return current.get().chain().clone();
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return current.get().key();
            }
        };
    }

    public X509ExtendedTrustManager trustManager() {
        return new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                current.get().trust().checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                current.get().trust().checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                current.get().trust().checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                throw new CertificateException("this trust manager only checks clients");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                throw new CertificateException("this trust manager only checks clients");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("this trust manager only checks clients");
            }

            /**
             * None named: BoringSSL reads the list once, when the server starts, so after a root rotation it would
             * still name the old roots only, and a client that picks its certificate by the names (Java's key
             * managers do) would send none and be refused as unauthenticated. Every client certificate is checked
             * against the current roots either way.
             */
            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    /**
     * A PKIX trust manager over exactly these roots (no revocation lists: a leaf lives hours), its signature checks
     * made natively where {@link CryptoProviders#certificatePathSignatures()} has a provider.
     */
    public static X509ExtendedTrustManager trustManager(List<X509Certificate> roots) {
        try {
            java.util.Set<TrustAnchor> anchors = new java.util.HashSet<>();
            for (X509Certificate root : roots) {
                anchors.add(new TrustAnchor(root, null));
            }
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, new X509CertSelector());
            parameters.setRevocationEnabled(false);
            CryptoProviders.certificatePathSignatures().ifPresent(parameters::setSigProvider);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(new CertPathTrustManagerParameters(parameters));
            return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager", e);
        }
    }
}
