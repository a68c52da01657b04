package dev.signet.benchmarks.plane;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.CertificateServiceGrpc;
import dev.signet.api.ca.v1.CreateCertificateRequest;
import dev.signet.api.ca.v1.CreateCertificateResponse;
import dev.signet.api.ca.v1.TrustBundleReport;
import dev.signet.api.ca.v1.TrustBundleServiceGrpc;
import dev.signet.api.ca.v1.TrustBundleUpdate;
import dev.signet.ca.crypto.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One agent as the control plane sees it, without the files: its own TLS connection, a certificate from a token, a
 * {@code WatchTrustBundle} stream that confirms each new bundle version at once (once a stream, as the agent does),
 * and a renewal (a CSR over one of its keys, naming the leaf it replaces) at the moment the control plane's renewal
 * request asks for. Thousands fit in one JVM.
 *
 * <p>Each prepares a few keys and CSRs before the measurement and takes them in turn: on a mesh that work is done by
 * 2,000 machines, not by the control plane's cores, which here it would share. The CA's work does not depend on
 * whether it saw a key before.
 */
final class SimulatedAgent {

    private final ManagedChannel channel;
    private final CertificateServiceGrpc.CertificateServiceFutureStub certificates;
    private final TrustBundleServiceGrpc.TrustBundleServiceStub bundles;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong renewalsFailed;
    private volatile String heldSerial = "";
    private final List<String> preparedCsrs = new ArrayList<>();
    private final AtomicInteger nextCsr = new AtomicInteger();
    private volatile long bundleVersion;
    /** When the current bundle watch got its first update (System.nanoTime; 0 before one did). */
    private volatile long attachedAt;

    private final java.util.Random jitter = new java.util.Random();
    private final AtomicInteger watchFailures = new AtomicInteger();
    private volatile boolean closed;
    /** When each renewal's response arrived, since the last {@link #clearRenewals()}. */
    private final List<Instant> renewedAt = new CopyOnWriteArrayList<>();

    SimulatedAgent(
            ManagedChannel channel, String token, ScheduledExecutorService scheduler, AtomicLong renewalsFailed) {
        Metadata headers = CallMetadata.bearer(token);
        this.channel = channel;
        this.certificates = CertificateServiceGrpc.newFutureStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.bundles = TrustBundleServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.scheduler = scheduler;
        this.renewalsFailed = renewalsFailed;
    }

    /** The first certificate, then the bundle watch; {@code keys} keys and CSRs are made beforehand. */
    void start(int keys) throws Exception {
        for (int i = 0; i < keys; i++) {
            preparedCsrs.add(BenchCsrs.fresh());
        }
        CreateCertificateResponse first = certificates
                .createCertificate(CreateCertificateRequest.newBuilder()
                        .setCsr(BenchCsrs.fresh())
                        .build())
                .get(60, TimeUnit.SECONDS);
        held(first);
        bundles.watchTrustBundle(new Watch());
    }

    /** When the renewals since the last {@link #clearRenewals()} completed, in order. */
    List<Instant> renewals() {
        return List.copyOf(renewedAt);
    }

    void clearRenewals() {
        renewedAt.clear();
    }

    long bundleVersion() {
        return bundleVersion;
    }

    /** When the bundle watch last (re)attached: its first update on its current stream, System.nanoTime. */
    long attachedAt() {
        return attachedAt;
    }

    void close() {
        closed = true;
        channel.shutdownNow();
    }

    private CreateCertificateRequest request() {
        String csr = preparedCsrs.get(Math.floorMod(nextCsr.getAndIncrement(), preparedCsrs.size()));
        return CreateCertificateRequest.newBuilder()
                .setCsr(csr)
                .setReplacesSerial(heldSerial)
                .build();
    }

    private void held(CreateCertificateResponse response) {
        heldSerial = Pem.certificates(response.getCertChain(0))
                .get(0)
                .getSerialNumber()
                .toString(16);
    }

    private void renew() {
        Futures.addCallback(
                certificates.createCertificate(request()),
                new FutureCallback<>() {
                    @Override
                    public void onSuccess(CreateCertificateResponse response) {
                        held(response);
                        renewedAt.add(Instant.now());
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        if (renewalsFailed.incrementAndGet() <= 3) {
                            System.err.println("a renewal failed: " + t);
                        }
                    }
                },
                MoreExecutors.directExecutor());
    }

    private final class Watch implements ClientResponseObserver<TrustBundleReport, TrustBundleUpdate> {
        private ClientCallStreamObserver<TrustBundleReport> reports;

        @Override
        public void beforeStart(ClientCallStreamObserver<TrustBundleReport> requests) {
            reports = requests;
        }

        private boolean first = true;

        @Override
        public void onNext(TrustBundleUpdate update) {
            if (first) {
                first = false;
                watchFailures.set(0);
                attachedAt = System.nanoTime();
            }
            long before = bundleVersion;
            bundleVersion = Math.max(bundleVersion, update.getTrustBundleVersion());
            if (bundleVersion != before) {
                synchronized (this) {
                    reports.onNext(TrustBundleReport.newBuilder()
                            .setWrittenVersion(bundleVersion)
                            .build());
                }
            }
            if (update.getRenewWithinMillis() > 0) {
                scheduler.schedule(SimulatedAgent.this::renew, update.getRenewWithinMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** Watches again as the agent does: 1 s doubling per failure in a row, at most 30 s, half of it jittered. */
        @Override
        public void onError(Throwable t) {
            if (closed) {
                return;
            }
            long millis = Math.min(30_000, 1000L << Math.min(watchFailures.getAndIncrement(), 5));
            long delay = millis / 2 + (long) (jitter.nextDouble() * millis / 2);
            scheduler.schedule(() -> bundles.watchTrustBundle(new Watch()), delay, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onCompleted() {}
    }
}
