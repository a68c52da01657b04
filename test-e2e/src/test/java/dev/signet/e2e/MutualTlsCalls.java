package dev.signet.e2e;

import dev.signet.ca.crypto.Pem;
import dev.signet.ca.spiffe.SpiffeId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Two workloads talking mutual TLS with the JDK's TLS, each with the TLS context it is given for every connection:
 * one built from the files an agent keeps in a directory ({@code cert-chain.pem}, {@code key.pem},
 * {@code root-cert.pem}), read afresh as a workload that follows rotation does, or one that follows rotation itself
 * (java-spiffe's, over the Workload API). The server answers each call with the caller's SPIFFE ID; the caller counts
 * calls that worked and that failed.
 */
final class MutualTlsCalls {

    /** The TLS context for the next connection. */
    @FunctionalInterface
    interface Contexts {
        SSLContext next() throws Exception;
    }

    private static final Provider BC = new BouncyCastleProvider();

    private MutualTlsCalls() {}

    /** A TLS context from {@code dir}; re-read while the key and the leaf do not match (files mid-write). */
    static SSLContext context(Path dir) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                List<X509Certificate> chain = path(Pem.certificates(Files.readString(dir.resolve("cert-chain.pem"))));
                PrivateKey key = Pem.privateKey(Files.readString(dir.resolve("key.pem")), BC);
                List<X509Certificate> roots = Pem.certificates(Files.readString(dir.resolve("root-cert.pem")));
                if (!matches(key, chain.get(0))) {
                    throw new IllegalStateException("key.pem does not match cert-chain.pem yet");
                }
                KeyStore identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                identity.setKeyEntry("workload", key, new char[0], chain.toArray(new X509Certificate[0]));
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, new char[0]);
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                for (int i = 0; i < roots.size(); i++) {
                    anchors.setCertificateEntry("root-" + i, roots.get(i));
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(anchors);
                SSLContext context = SSLContext.getInstance("TLSv1.3");
                context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
                return context;
            } catch (Exception e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw last;
    }

    /**
     * The chain up to where it stops leading on: Istio's agent writes the roots after the chain, all of them, and a
     * key store takes only a chain whose each certificate is issued by the next.
     */
    private static List<X509Certificate> path(List<X509Certificate> written) {
        int end = 1;
        while (end < written.size()
                && written.get(end - 1)
                        .getIssuerX500Principal()
                        .equals(written.get(end).getSubjectX500Principal())
                && !written.get(end - 1)
                        .getIssuerX500Principal()
                        .equals(written.get(end - 1).getSubjectX500Principal())) {
            end++;
        }
        return written.subList(0, end);
    }

    /** Whether {@code key} is the leaf's: what it signs, the leaf's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate leaf) throws Exception {
        java.security.Signature signer = java.security.Signature.getInstance(
                key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA", BC);
        byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(signer.getAlgorithm(), BC);
        verifier.initVerify(leaf.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    /** Answers each mutual-TLS call on loopback with the caller's SPIFFE ID. */
    static final class Server implements AutoCloseable {

        private final ServerSocket socket;
        private final Thread thread;

        Server(Path files) throws IOException {
            this(() -> context(files));
        }

        Server(Contexts contexts) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(contexts), "mtls-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Contexts contexts) {
            while (!socket.isClosed()) {
                try (Socket plain = socket.accept()) {
                    SSLSocket tls = (SSLSocket)
                            contexts.next().getSocketFactory().createSocket(plain, null, plain.getPort(), false);
                    tls.setUseClientMode(false);
                    tls.setNeedClientAuth(true);
                    tls.setSoTimeout(5000);
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
                    String line = in.readLine();
                    X509Certificate peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                    PrintWriter out = new PrintWriter(tls.getOutputStream(), true, StandardCharsets.UTF_8);
                    out.println(line + " from " + SpiffeId.fromCertificate(peer).uri());
                    tls.close();
                } catch (Exception e) {
                    // The caller sees the failed handshake; the server goes on serving.
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5000);
        }
    }

    /** Calls the server every {@code everyMillis}, counting answers that name the expected caller. */
    static final class Caller implements AutoCloseable {

        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<String> lastFailure = new AtomicReference<>("");
        private volatile boolean running = true;
        private final Thread thread;

        Caller(Path files, int port, String expectedServer, String callerId, long everyMillis) {
            this(() -> context(files), port, expectedServer, callerId, everyMillis);
        }

        Caller(Contexts contexts, int port, String expectedServer, String callerId, long everyMillis) {
            thread = new Thread(
                    () -> {
                        while (running) {
                            try {
                                String answer = call(contexts, port, expectedServer);
                                if (answer.equals("ping from " + callerId)) {
                                    ok.incrementAndGet();
                                } else {
                                    failed.incrementAndGet();
                                    lastFailure.set("answer: " + answer);
                                }
                            } catch (Exception e) {
                                failed.incrementAndGet();
                                lastFailure.set(e.toString());
                            }
                            try {
                                Thread.sleep(everyMillis);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "mtls-caller");
            thread.setDaemon(true);
            thread.start();
        }

        private static String call(Contexts contexts, int port, String expectedServer) throws Exception {
            try (SSLSocket tls = (SSLSocket)
                    contexts.next().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
                tls.setSoTimeout(5000);
                tls.startHandshake();
                X509Certificate server = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                String serverId = SpiffeId.fromCertificate(server).uri();
                if (!serverId.equals(expectedServer)) {
                    return "server was " + serverId;
                }
                PrintWriter out = new PrintWriter(tls.getOutputStream(), true, StandardCharsets.UTF_8);
                out.println("ping");
                return new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(10_000);
        }
    }
}
