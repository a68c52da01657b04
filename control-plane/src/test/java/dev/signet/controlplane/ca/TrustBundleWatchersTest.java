package dev.signet.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.api.ca.v1.TrustBundleUpdate;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.testing.TestCaCertificates;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TrustBundleWatchersTest {

    private static final TrustBundle BUNDLE = TrustBundle.of(
            2, List.of(new TestCaCertificates().leaf(Instant.parse("2026-11-23T10:00:00Z"), Duration.ofDays(1))));

    /** What one agent's stream was sent. */
    private static final class Sent implements StreamObserver<TrustBundleUpdate> {
        final List<TrustBundleUpdate> updates = new CopyOnWriteArrayList<>();

        @Override
        public void onNext(TrustBundleUpdate update) {
            updates.add(update);
        }

        volatile Throwable error;

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {}
    }

    @Test
    void confirmations_follow_every_report_connection_and_disconnection_and_are_reused_while_nothing_changed() {
        TrustBundleWatchers watchers = new TrustBundleWatchers();
        TrustBundleWatchers.Watcher checkout =
                watchers.add(new WorkloadIdentity("shop", "checkout"), "x509:1", new Sent(), BUNDLE);
        List<WorkloadConfirmation> first = watchers.confirmations();
        assertThat(first).containsExactly(new WorkloadConfirmation("shop/checkout", 0));
        assertThat(watchers.confirmations())
                .as("nothing changed: the same list")
                .isSameAs(first);

        checkout.report(2, "checkout-7f9c");
        assertThat(watchers.confirmations())
                .containsExactly(new WorkloadConfirmation("shop/checkout (checkout-7f9c)", 2));
        checkout.report(1, "checkout-7f9c");
        assertThat(watchers.confirmations())
                .as("a lower version confirms nothing new")
                .containsExactly(new WorkloadConfirmation("shop/checkout (checkout-7f9c)", 2));

        TrustBundleWatchers.Watcher payments =
                watchers.add(new WorkloadIdentity("shop", "payments"), "x509:2", new Sent(), BUNDLE);
        assertThat(watchers.confirmations()).hasSize(2);
        watchers.remove(payments);
        watchers.remove(checkout);
        assertThat(watchers.confirmations()).isEmpty();
    }

    @Test
    void a_renewal_request_carries_the_bundle_and_a_moment_within_the_spread_to_the_holders_only() {
        TrustBundleWatchers watchers = new TrustBundleWatchers();
        Sent checkout = new Sent();
        Sent payments = new Sent();
        watchers.add(new WorkloadIdentity("shop", "checkout"), "x509:1", checkout, BUNDLE);
        watchers.add(new WorkloadIdentity("shop", "payments"), "x509:2", payments, BUNDLE);

        int asked = watchers.requestRenewal(
                BUNDLE,
                Duration.ofMillis(500),
                new Random(7),
                identity -> identity.serviceAccount().equals("checkout"));

        assertThat(asked).isEqualTo(1);
        assertThat(payments.updates).as("only the bundle sent on connecting").hasSize(1);
        TrustBundleUpdate request = checkout.updates.get(1);
        assertThat(request.getRenewWithinMillis()).isBetween(1L, 500L);
        assertThat(request.getTrustBundleVersion()).isEqualTo(2);
        assertThat(request.getTrustBundle()).isEqualTo(BUNDLE.toPem());
    }

    @Test
    void one_instance_counts_once_however_many_streams_it_opens_and_its_older_streams_are_ended() {
        TrustBundleWatchers watchers = new TrustBundleWatchers();
        WorkloadIdentity other = new WorkloadIdentity("shop", "other");
        List<Sent> streams = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Sent stream = new Sent();
            streams.add(stream);
            watchers.add(other, "token:abc", stream, BUNDLE);
        }
        watchers.add(other, "x509:7", new Sent(), BUNDLE);

        assertThat(watchers.size())
                .as("the token's latest stream and the certificate's")
                .isEqualTo(2);
        assertThat(watchers.confirmations()).hasSize(2);
        assertThat(streams.subList(0, 999))
                .allSatisfy(stream -> assertThat(stream.error).isNotNull().hasMessageContaining("ALREADY_EXISTS"));
        assertThat(streams.get(999).error).isNull();
    }

    @Test
    void streams_of_one_instance_arriving_together_leave_exactly_one_watcher() throws Exception {
        TrustBundleWatchers watchers = new TrustBundleWatchers();
        WorkloadIdentity other = new WorkloadIdentity("shop", "other");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3000; round++) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<?>> adds = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    adds.add(pool.submit(() -> {
                        go.await();
                        return watchers.add(other, "token:same", new Sent(), BUNDLE);
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<?> add : adds) {
                    add.get();
                }
                assertThat(watchers.size()).as("round " + round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
