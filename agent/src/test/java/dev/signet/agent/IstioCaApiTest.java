package dev.signet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.api.istio.v1.auth.IstioCertificateRequest;
import dev.signet.api.istio.v1.auth.IstioCertificateResponse;
import dev.signet.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.signet.ca.crypto.Fingerprints;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationRequest;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's {@code CreateCertificate} on the control plane, as Istio's agents call it: Istio's chain shape with the
 * trust bundle last, the identity from a token of Istio's audience (never from the CSR, never with Signet's audience),
 * impersonation refused, and each agent counted by the rotation gates with the bundle it was given.
 */
class IstioCaApiTest {

    @TempDir
    Path dir;

    private ControlPlane controlPlane;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        controlPlane = ControlPlane.start(
                ControlPlaneConfig.defaults(dir.resolve("state"))
                        .withEphemeralPorts()
                        .with("istio.rotation-ttl", "10m"),
                Clock.systemUTC(),
                new SecureRandom());
        channel = CaChannels.open(
                "localhost:" + controlPlane.grpcPort(),
                Pem.certificates(Files.readString(dir.resolve("state/root-cert.pem"))),
                Optional.empty());
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        controlPlane.close();
    }

    private String token(String account, String audience) {
        return controlPlane
                .tokenIssuer()
                .issue(new WorkloadIdentity("shop", account), Duration.ofMinutes(10), audience);
    }

    private IstioCertificateResponse istio(String token, IstioCertificateRequest request) {
        return IstioCertificateServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(CallMetadata.bearer(token)))
                .createCertificate(request);
    }

    /** A CSR that names another identity, as a forger would: the CA must not read it. */
    private static String csrNaming(String uri) throws Exception {
        KeyPair keys = KeysAndCsrs.newKey(new SecureRandom());
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=forged"), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                .getEncoded();
        return Pem.encode("CERTIFICATE REQUEST", der);
    }

    private static IstioCertificateRequest request(long validitySeconds) throws Exception {
        return IstioCertificateRequest.newBuilder()
                .setCsr(csrNaming("spiffe://cluster.local/ns/kube-system/sa/admin"))
                .setValidityDuration(validitySeconds)
                .setMetadata(Struct.newBuilder()
                        .putFields(
                                "CertSigner",
                                Value.newBuilder().setStringValue("").build()))
                .build();
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call was not refused");
    }

    @Test
    void the_chain_is_leaf_first_with_the_whole_trust_bundle_last_for_the_tokens_identity() throws Exception {
        IstioCertificateResponse answer = istio(token("checkout", "istio-ca"), request(3600));

        List<String> chain = answer.getCertChainList();
        assertThat(chain).as("Istio's agents refuse a chain of one").hasSizeGreaterThan(1);
        X509Certificate leaf = Pem.certificates(chain.get(0)).get(0);
        assertThat(SpiffeId.fromCertificate(leaf).uri())
                .as("the identity is the token's, not the CSR's")
                .isEqualTo("spiffe://cluster.local/ns/shop/sa/checkout");
        assertThat(Duration.between(
                        leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isLessThanOrEqualTo(Duration.ofMinutes(65));
        assertThat(chain.get(chain.size() - 1))
                .as("the last element is the trust bundle, all of it")
                .isEqualTo(controlPlane.rotation().bundle().toPem());
        // Each element before the last is one certificate, and together they lead to the bundle's root.
        for (int i = 0; i < chain.size() - 1; i++) {
            assertThat(Pem.certificates(chain.get(i))).hasSize(1);
        }
        X509Certificate top = Pem.certificates(chain.get(chain.size() - 2)).get(0);
        X509Certificate root = Pem.certificates(chain.get(chain.size() - 1)).get(0);
        top.verify(root.getPublicKey());
    }

    @Test
    void tokens_of_the_other_apis_audience_are_refused_on_each_api() throws Exception {
        IstioCertificateRequest hour = request(3600);
        assertThat(code(() -> istio(token("checkout", LocalTokenIssuer.DEFAULT_AUDIENCE), hour)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        String istioToken = token("checkout", "istio-ca");
        assertThat(code(() -> CertificateServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(CallMetadata.bearer(istioToken)))
                        .createCertificate(CreateCertificateRequest.newBuilder()
                                .setCsr(Pem.encode(
                                        "CERTIFICATE REQUEST", KeysAndCsrs.csr(KeysAndCsrs.newKey(new SecureRandom()))))
                                .build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(() ->
                        IstioCertificateServiceGrpc.newBlockingStub(channel).createCertificate(hour)))
                .as("no credential at all")
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void impersonation_negative_and_overlong_lifetimes_are_refused_with_the_reason() throws Exception {
        String token = token("ztunnel", "istio-ca");
        IstioCertificateRequest impersonating = request(3600).toBuilder()
                .setMetadata(Struct.newBuilder()
                        .putFields(
                                "ImpersonatedIdentity",
                                Value.newBuilder()
                                        .setStringValue("spiffe://cluster.local/ns/shop/sa/payments")
                                        .build()))
                .build();
        StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> istio(token, impersonating));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription()).startsWith("impersonation_refused: ");
        assertThat(refused.getTrailers().get(CallMetadata.REFUSAL_REASON)).isEqualTo("impersonation_refused");

        IstioCertificateRequest negative = request(-5);
        IstioCertificateRequest month = request(Duration.ofDays(30).toSeconds());
        assertThat(code(() -> istio(token, negative))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> istio(token, month)))
                .as("above the longest lifetime: refused, not shortened")
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(controlPlane.ca().leaves().all())
                .as("nothing was issued to the caller")
                .noneMatch(leaf -> leaf.id().uri().contains("/ns/shop/"));
    }

    @Test
    void a_renewal_replaces_the_agents_last_leaf_and_the_gates_count_the_bundle_it_was_given() throws Exception {
        String token = token("checkout", "istio-ca");
        BigInteger first = leafSerial(istio(token, request(3600)));
        assertThat(controlPlane.report("r", Instant.now()).workloads())
                .extracting(WorkloadConfirmation::confirmedVersion)
                .containsExactly(1L);

        controlPlane.rotation().start(RotationRequest.generated(RotationMode.MANUAL));
        IstioCertificateResponse renewed = istio(token, request(3600));

        assertThat(inUse(first))
                .as("the renewal gave up the agent's earlier leaf")
                .isFalse();
        X509Certificate leaf = Pem.certificates(renewed.getCertChain(0)).get(0);
        assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()))
                .as("during a rotation, leaves last at most --istio-rotation-ttl")
                .isLessThanOrEqualTo(Duration.ofMinutes(10));
        List<X509Certificate> trusted = Pem.certificates(renewed.getCertChain(renewed.getCertChainCount() - 1));
        assertThat(trusted)
                .extracting(Fingerprints::sha256)
                .as("in PREPARE the agent is given both roots")
                .hasSize(2);
        assertThat(controlPlane.report("r", Instant.now()).workloads())
                .singleElement()
                .satisfies(w -> {
                    assertThat(w.workload()).startsWith("istio shop/checkout ");
                    assertThat(w.confirmedVersion()).isEqualTo(2L);
                });
    }

    private BigInteger leafSerial(IstioCertificateResponse answer) {
        return Pem.certificates(answer.getCertChain(0)).get(0).getSerialNumber();
    }

    private boolean inUse(BigInteger serial) {
        return controlPlane.ca().leaves().all().stream()
                .anyMatch(leaf -> leaf.serial().equals(serial) && leaf.isInUseAt(Instant.now()));
    }
}
