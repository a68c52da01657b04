package dev.signet.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** The client-certificate check of the gRPC port, with its signatures checked by the native provider. */
class ServingCredentialsTest {

    private static final SpiffeId PAYMENTS = SpiffeId.forServiceAccount("cluster.local", "shop", "payments");

    private final TestCa ca = TestCa.create(KeyType.EC_P256, new MutableClock(Instant.now()));
    private final X509ExtendedTrustManager trust =
            ServingCredentials.trustManager(List.of(ca.authority().root().certificate()));

    @Test
    void a_leaf_of_the_trusted_root_is_accepted_and_the_root_is_named_to_clients() {
        X509Certificate[] chain = chain(ca, PAYMENTS);
        assertThatCode(() -> trust.checkClientTrusted(chain, "EC")).doesNotThrowAnyException();
        assertThat(trust.getAcceptedIssuers())
                .containsExactly(ca.authority().root().certificate());
    }

    @Test
    void the_native_provider_checks_the_signatures_where_it_loads() {
        assertThat(CryptoProviders.certificatePathSignatures())
                .as("Conscrypt loads on the platforms Signet ships for")
                .hasValueSatisfying(name ->
                        assertThat(java.security.Security.getProvider(name)).isNotNull());
    }

    @Test
    void a_leaf_with_a_broken_signature_is_refused() throws Exception {
        X509Certificate[] chain = chain(ca, PAYMENTS);
        byte[] der = chain[0].getEncoded();
        der[der.length - 5] ^= 0x01; // inside the signature's last integer
        X509Certificate forged = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        chain[0] = forged;
        assertThatThrownBy(() -> trust.checkClientTrusted(chain, "EC")).isInstanceOf(CertificateException.class);
    }

    @Test
    void a_leaf_of_another_root_is_refused() {
        TestCa other = TestCa.create(KeyType.EC_P256, new MutableClock(Instant.now()));
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(other, PAYMENTS), "EC"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void an_expired_leaf_is_refused() {
        TestCa past =
                TestCa.create(KeyType.EC_P256, new MutableClock(Instant.now().minus(Duration.ofDays(2))));
        X509ExtendedTrustManager pastTrust =
                ServingCredentials.trustManager(List.of(past.authority().root().certificate()));
        X509Certificate[] chain = past.ca()
                .sign(Csrs.der(Csrs.ecP256()), PAYMENTS, Duration.ofHours(1))
                .chain()
                .toArray(new X509Certificate[0]);
        assertThatThrownBy(() -> pastTrust.checkClientTrusted(chain, "EC")).isInstanceOf(CertificateException.class);
    }

    private static X509Certificate[] chain(TestCa ca, SpiffeId id) {
        return ca.ca().sign(Csrs.der(Csrs.ecP256()), id, null).chain().toArray(new X509Certificate[0]);
    }
}
