package dev.signet.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Real JDK TLS 1.3 handshakes with client authentication between two issued identities, over loopback. The
 * server learns who called from the certificate alone, which is what every mesh peer does.
 */
class MutualTlsTest {

    private static final SpiffeId PAYMENTS = SpiffeId.forServiceAccount("cluster.local", "shop", "payments");
    private static final SpiffeId CHECKOUT = SpiffeId.forServiceAccount("cluster.local", "shop", "checkout");

    private final TestCa ca = TestCa.create(KeyType.EC_P256, Clock.systemUTC());

    @Test
    void two_issued_identities_authenticate_each_other() throws Exception {
        Outcome outcome = handshake(identity(ca, PAYMENTS, true), identity(ca, CHECKOUT, true), ca);
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.clientSeenByServer()).isEqualTo(CHECKOUT);
        assertThat(outcome.serverSeenByClient()).isEqualTo(PAYMENTS);
        assertThat(outcome.protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void a_client_from_another_root_is_refused() throws Exception {
        TestCa foreign = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        Outcome outcome = handshake(identity(ca, PAYMENTS, true), identity(foreign, CHECKOUT, true), ca);
        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.clientSeenByServer()).isNull();
    }

    @Test
    void an_expired_client_leaf_is_refused() throws Exception {
        MutableClock past = new MutableClock(Instant.now().minus(Duration.ofDays(3)));
        TestCa old = TestCa.create(KeyType.EC_P256, past);
        Identity expired = identity(old, CHECKOUT, true, Duration.ofHours(1));
        assertThat(expired.chain().get(0).getNotAfter().toInstant()).isBefore(Instant.now());
        // The server trusts the old CA's root, so only the expiry can make it refuse.
        Outcome outcome = handshake(identity(old, PAYMENTS, true, Duration.ofDays(7)), expired, old);
        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.clientSeenByServer()).isNull();
    }

    @Test
    void a_client_leaf_sent_without_its_intermediate_is_refused() throws Exception {
        Outcome outcome = handshake(identity(ca, PAYMENTS, true), identity(ca, CHECKOUT, false), ca);
        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.clientSeenByServer()).isNull();
    }

    record Identity(List<X509Certificate> chain, PrivateKey key) {}

    record Outcome(SpiffeId clientSeenByServer, SpiffeId serverSeenByClient, String protocol, Exception failure) {}

    private static Identity identity(TestCa issuer, SpiffeId id, boolean withIntermediate) throws Exception {
        return identity(issuer, id, withIntermediate, null);
    }

    private static Identity identity(TestCa issuer, SpiffeId id, boolean withIntermediate, Duration ttl)
            throws Exception {
        KeyPair keys = Csrs.ecP256();
        X509Svid svid = issuer.ca().sign(Csrs.der(keys), id, ttl);
        // The workload holds its key as PKCS#8, as the agent writes it; the JDK's own provider reads it back.
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(keys.getPrivate().getEncoded()));
        return new Identity(withIntermediate ? svid.chain() : List.of(svid.leaf()), key);
    }

    private static SSLContext context(Identity identity, TestCa trusted) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("me", identity.key(), new char[0], identity.chain().toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, new char[0]);
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("root", trusted.authority().root().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(roots);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static Outcome handshake(Identity server, Identity client, TestCa trusted) throws Exception {
        SSLContext serverContext = context(server, trusted);
        SSLContext clientContext = context(client, trusted);
        try (SSLServerSocket listener = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            CompletableFuture<SpiffeId> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.startHandshake();
                    SpiffeId peer = SpiffeId.fromCertificate(
                            (X509Certificate) socket.getSession().getPeerCertificates()[0]);
                    OutputStream out = socket.getOutputStream();
                    out.write(1);
                    out.flush();
                    return peer;
                } catch (Exception e) {
                    return null;
                }
            });
            try (SSLSocket socket = (SSLSocket) clientContext
                    .getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                InputStream in = socket.getInputStream();
                int answer = in.read();
                if (answer != 1) {
                    throw new IllegalStateException("the server closed the connection (answer " + answer + ")");
                }
                SpiffeId serverId = SpiffeId.fromCertificate(
                        (X509Certificate) socket.getSession().getPeerCertificates()[0]);
                return new Outcome(
                        serverSide.get(10, TimeUnit.SECONDS),
                        serverId,
                        socket.getSession().getProtocol(),
                        null);
            } catch (Exception e) {
                return new Outcome(serverSide.get(10, TimeUnit.SECONDS), null, null, e);
            }
        }
    }
}
