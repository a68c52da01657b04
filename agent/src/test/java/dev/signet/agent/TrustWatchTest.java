package dev.signet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.api.ca.v1.TrustBundleReport;
import dev.signet.api.ca.v1.TrustBundleServiceGrpc;
import dev.signet.api.ca.v1.TrustBundleUpdate;
import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's bundle watch against a real control plane: bundles written and confirmed, renewals on request. */
class TrustWatchTest {

    @TempDir
    Path dir;

    private ControlPlane controlPlane;
    private ScheduledExecutorService scheduler;
    private AgentConfig config;

    @BeforeEach
    void start() throws Exception {
        controlPlane = ControlPlane.startEphemeral(dir.resolve("state"));
        Path token = dir.resolve("token");
        Files.writeString(
                token,
                controlPlane
                        .tokenIssuer()
                        .issue(
                                new WorkloadIdentity("shop", "checkout"),
                                Duration.ofMinutes(10),
                                LocalTokenIssuer.DEFAULT_AUDIENCE));
        config = AgentConfig.of(
                "localhost:" + controlPlane.grpcPort(),
                dir.resolve("state/root-cert.pem"),
                token,
                dir.resolve("certs"));
        scheduler = Executors.newScheduledThreadPool(1);
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        controlPlane.close();
    }

    private static void eventually(String what, BooleanSupplier done) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(done::getAsBoolean);
    }

    private List<WorkloadConfirmation> confirmations() {
        return controlPlane.trustWatchers().confirmations();
    }

    @Test
    void a_pushed_bundle_is_written_and_confirmed_and_a_renewal_request_gets_a_new_leaf() throws Exception {
        Agent agent = Agent.create(config, Clock.systemUTC(), new SecureRandom());
        IssuedCredential first = agent.renewOnce();
        try (TrustWatch watch = new TrustWatch(agent, config, "checkout-7d9f", scheduler, new SecureRandom())) {
            watch.start();
            eventually(
                    "the agent confirms v1",
                    () -> confirmations()
                            .equals(List.of(new WorkloadConfirmation("shop/checkout (checkout-7d9f)", 1))));

            X509Certificate next = new AuthorityMinter(CryptoProviders.detect(), Clock.systemUTC(), new SecureRandom())
                    .mint("cluster.local", KeyType.EC_P256)
                    .root()
                    .certificate();
            TrustBundle both = controlPlane
                    .trustBundle()
                    .withRoots(List.of(controlPlane.trustBundle().roots().get(0), next));
            controlPlane.trustWatchers().publish(both);
            eventually("the agent confirms v2", () -> confirmations().get(0).confirmedVersion() == 2);
            assertThat(Pem.certificates(
                            Files.readString(config.outputDirectory().resolve(CredentialFiles.ROOT_CERT))))
                    .containsExactlyElementsOf(both.roots());

            assertThatThrownBy(() -> agent.acceptBundle(List.of(), List.of(), 9))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("without roots");
            assertThat(agent.bundleVersion()).isEqualTo(2);
            // An older bundle never overwrites a newer one.
            controlPlane.trustWatchers().publish(controlPlane.trustBundle());
            Thread.sleep(300);
            assertThat(agent.bundleVersion()).isEqualTo(2);
            // Nor does a certificate response that still carries v1 (the CA's own bundle was not changed here).
            assertThat(agent.renewOnce().trustBundleVersion()).isEqualTo(2);
            assertThat(Pem.certificates(
                            Files.readString(config.outputDirectory().resolve(CredentialFiles.ROOT_CERT))))
                    .containsExactlyElementsOf(both.roots());

            Thread running = new Thread(() -> {
                try {
                    agent.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            running.start();
            try {
                eventually(
                        "the running agent has its first leaf",
                        () -> agent.current().isPresent()
                                && !agent.current()
                                        .get()
                                        .chain()
                                        .get(0)
                                        .equals(first.chain().get(0)));
                X509Certificate before = agent.current().get().chain().get(0);
                // The default lifetime is an hour: without the request the agent would sleep for half of it.
                controlPlane
                        .trustWatchers()
                        .requestRenewal(both, Duration.ofMillis(200), new SecureRandom(), identity -> true);
                eventually(
                        "a renewal within the requested window",
                        () -> !agent.current().get().chain().get(0).equals(before));
            } finally {
                running.interrupt();
                running.join(5000);
            }
        }
    }

    @Test
    void a_watch_without_credentials_is_refused() throws Exception {
        ManagedChannel channel = CaChannels.open(
                config.caAddress(), Pem.certificates(Files.readString(config.caRoot())), Optional.empty());
        try {
            CompletableFuture<Status> ended = new CompletableFuture<>();
            TrustBundleServiceGrpc.newStub(channel)
                    .watchTrustBundle(new StreamObserver<>() {
                        @Override
                        public void onNext(TrustBundleUpdate update) {
                            ended.completeExceptionally(
                                    new AssertionError("sent a bundle to an unauthenticated caller"));
                        }

                        @Override
                        public void onError(Throwable t) {
                            ended.complete(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            ended.complete(Status.OK);
                        }
                    })
                    .onNext(TrustBundleReport.newBuilder().setWrittenVersion(99).build());
            Status status = ended.get(10, TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains("missing");
            assertThat(confirmations()).isEmpty();
        } finally {
            channel.shutdownNow();
        }
    }
}
