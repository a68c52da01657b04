package dev.signet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A renewal gives up only the caller's own leaf: naming another identity's serial (visible in any handshake) must not
 * take that leaf off the rotation gates, here or on another replica; with a certificate presented, only that leaf.
 */
class ReplacedLeavesTest {

    @TempDir
    Path dir;

    private ControlPlane controlPlane;

    @BeforeEach
    void start() throws Exception {
        controlPlane = ControlPlane.startEphemeral(dir.resolve("state"));
    }

    @AfterEach
    void stop() throws Exception {
        controlPlane.close();
    }

    private Agent agent(String account) throws Exception {
        Path token = dir.resolve(account + ".token");
        Files.writeString(
                token,
                controlPlane
                        .tokenIssuer()
                        .issue(
                                new WorkloadIdentity("shop", account),
                                Duration.ofMinutes(10),
                                LocalTokenIssuer.DEFAULT_AUDIENCE));
        return Agent.create(
                AgentConfig.of(
                        "localhost:" + controlPlane.grpcPort(),
                        dir.resolve("state/root-cert.pem"),
                        token,
                        dir.resolve("certs-" + account)),
                Clock.systemUTC(),
                new SecureRandom());
    }

    private static BigInteger serial(IssuedCredential credential) {
        return credential.chain().get(0).getSerialNumber();
    }

    private boolean inUse(BigInteger serial) {
        return controlPlane.ca().leaves().all().stream()
                .anyMatch(leaf -> leaf.serial().equals(serial) && leaf.isInUseAt(Instant.now()));
    }

    /** A renewal by {@code account} with its token alone, naming {@code named} as the leaf it replaces. */
    private void renewNaming(String account, BigInteger named) throws Exception {
        KeyPair keys = KeysAndCsrs.newKey(new SecureRandom());
        String token = controlPlane
                .tokenIssuer()
                .issue(
                        new WorkloadIdentity("shop", account),
                        Duration.ofMinutes(10),
                        LocalTokenIssuer.DEFAULT_AUDIENCE);
        ManagedChannel channel = CaChannels.open(
                "localhost:" + controlPlane.grpcPort(),
                Pem.certificates(Files.readString(dir.resolve("state/root-cert.pem"))),
                Optional.empty());
        try {
            Metadata headers = CallMetadata.bearer(token);
            CertificateServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .createCertificate(CreateCertificateRequest.newBuilder()
                            .setCsr(new String(
                                    Pem.encode("CERTIFICATE REQUEST", KeysAndCsrs.csr(keys))
                                            .getBytes(StandardCharsets.US_ASCII),
                                    StandardCharsets.US_ASCII))
                            .setReplacesSerial(named.toString(16))
                            .build());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void naming_another_identitys_serial_gives_up_nothing_and_claims_nothing_to_the_other_replicas() throws Exception {
        BigInteger victim = serial(agent("payments").renewOnce());
        renewNaming("other", victim);

        assertThat(inUse(victim)).as("payments still serves with its leaf").isTrue();
        assertThat(controlPlane.report("replica-a", Instant.now()).replaced())
                .as("no replica is told that payments' leaf is out of use")
                .isEmpty();
    }

    @Test
    void a_serial_issued_elsewhere_is_claimed_with_its_namer_so_that_its_replica_can_judge_it() throws Exception {
        BigInteger elsewhere = new BigInteger("7f3a", 16);
        renewNaming("other", elsewhere);
        assertThat(controlPlane.report("replica-a", Instant.now()).replaced())
                .singleElement()
                .satisfies(claim -> {
                    assertThat(claim.serial()).isEqualTo("7f3a");
                    assertThat(claim.holder()).isEqualTo("spiffe://cluster.local/ns/shop/sa/other");
                });
    }

    @Test
    void a_presented_certificate_gives_up_that_leaf_only_not_a_sibling_instances() throws Exception {
        Agent first = agent("checkout");
        Agent sibling = agent("checkout");
        BigInteger firstLeaf = serial(first.renewOnce());
        BigInteger siblingLeaf = serial(sibling.renewOnce());

        // The agent presents its current certificate beside its token: the renewal gives that leaf up.
        BigInteger renewed = serial(first.renewOnce());
        assertThat(inUse(firstLeaf)).isFalse();
        assertThat(inUse(renewed)).isTrue();
        assertThat(inUse(siblingLeaf)).isTrue();

        // A caller presenting its own certificate cannot also give up its sibling's by naming it.
        IssuedCredential held = first.current().orElseThrow();
        KeyPair keys = KeysAndCsrs.newKey(new SecureRandom());
        ManagedChannel channel =
                CaChannels.open("localhost:" + controlPlane.grpcPort(), held.roots(), Optional.of(held));
        try {
            CertificateServiceGrpc.newBlockingStub(channel)
                    .createCertificate(CreateCertificateRequest.newBuilder()
                            .setCsr(new String(
                                    Pem.encode("CERTIFICATE REQUEST", KeysAndCsrs.csr(keys))
                                            .getBytes(StandardCharsets.US_ASCII),
                                    StandardCharsets.US_ASCII))
                            .setReplacesSerial(siblingLeaf.toString(16))
                            .build());
        } finally {
            channel.shutdownNow();
        }
        assertThat(inUse(siblingLeaf))
                .as("the sibling still serves with its leaf")
                .isTrue();
        assertThat(inUse(renewed)).as("the presented leaf is the one given up").isFalse();
        List<IssuedLeaf> checkout = controlPlane.ca().leaves().all().stream()
                .filter(leaf -> leaf.id().equals(SpiffeId.forServiceAccount("cluster.local", "shop", "checkout")))
                .toList();
        assertThat(checkout)
                .as("four issued, two of them given up")
                .hasSize(4)
                .filteredOn(leaf -> leaf.isInUseAt(Instant.now()))
                .hasSize(2);
    }
}
