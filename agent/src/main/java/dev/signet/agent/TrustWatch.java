package dev.signet.agent;

import dev.signet.api.CallMetadata;
import dev.signet.api.ca.v1.TrustBundleReport;
import dev.signet.api.ca.v1.TrustBundleServiceGrpc;
import dev.signet.api.ca.v1.TrustBundleUpdate;
import dev.signet.ca.crypto.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a {@code WatchTrustBundle} stream open to the control plane: writes each new bundle for the workload,
 * confirms the version written, and passes renewal requests to the agent. It authenticates with the agent's
 * certificate when it holds one (a stream outlives tokens), else with the token. Reconnects with jittered backoff.
 */
public final class TrustWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrustWatch.class.getName());

    private final Agent agent;
    private final AgentConfig config;
    private final String workload;
    private final ScheduledExecutorService scheduler;
    private final SecureRandom random;
    private volatile ManagedChannel channel;
    private volatile boolean closed;
    /** Touched by the scheduler and by gRPC callback threads. */
    private final AtomicInteger failures = new AtomicInteger();
    /** The open stream's reports, once it has had its first update. */
    private volatile Reports current;

    public TrustWatch(
            Agent agent, AgentConfig config, String workload, ScheduledExecutorService scheduler, SecureRandom random) {
        this.agent = agent;
        this.config = config;
        this.workload = workload;
        this.scheduler = scheduler;
        this.random = random;
    }

    public void start() {
        // A client beside the files (Envoy over SDS) took up a newer bundle: confirm it now, not at the next update.
        agent.onReachChanged(() -> {
            Reports reports = current;
            if (reports != null) {
                reports.confirm(agent.confirmable(), workload);
            }
        });
        scheduler.execute(this::connect);
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            Optional<IssuedCredential> held = agent.validCredential();
            ManagedChannel opened = CaChannels.open(config.caAddress(), agent.trustedRoots(held), held);
            channel = opened;
            TrustBundleServiceGrpc.TrustBundleServiceStub stub = TrustBundleServiceGrpc.newStub(opened);
            if (held.isEmpty()) {
                Metadata headers = CallMetadata.bearer(Files.readString(config.tokenFile(), StandardCharsets.US_ASCII)
                        .trim());
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            stub.watchTrustBundle(new Updates(new Reports(), opened));
        } catch (Exception e) {
            retry(e);
        }
    }

    private void retry(Throwable cause) {
        if (closed) {
            return;
        }
        long millis = Math.min(30_000, 500L << Math.min(failures.incrementAndGet(), 6));
        long jittered = millis / 2 + (long) (random.nextDouble() * millis / 2);
        LOG.log(
                Level.FINE,
                () -> "bundle watch to " + config.caAddress() + " ended (" + cause + "); again in " + jittered + " ms");
        scheduler.schedule(this::connect, jittered, TimeUnit.MILLISECONDS);
    }

    /**
     * The agent's side of the stream; sends are serialised as gRPC requires. A version already confirmed on this stream
     * is not confirmed again: a rotation's renewal requests repeat the bundle the agent holds, and answering each would
     * double the messages of a moment when every agent of the mesh is renewing.
     */
    static final class Reports {
        private StreamObserver<TrustBundleReport> out;
        private long confirmed = -1;

        /** Set before the stream's first update can arrive. */
        synchronized void stream(StreamObserver<TrustBundleReport> requests) {
            out = requests;
        }

        synchronized void confirm(long version, String workload) {
            if (version == confirmed) {
                return;
            }
            try {
                out.onNext(TrustBundleReport.newBuilder()
                        .setWrittenVersion(version)
                        .setWorkload(workload)
                        .build());
            } catch (RuntimeException e) {
                return; // The stream ended; the next one confirms afresh.
            }
            confirmed = version;
        }
    }

    private final class Updates implements ClientResponseObserver<TrustBundleReport, TrustBundleUpdate> {
        private final Reports reports;
        private final ManagedChannel opened;

        Updates(Reports reports, ManagedChannel opened) {
            this.reports = reports;
            this.opened = opened;
        }

        /** Runs before any update can arrive, so a confirmation always has its stream. */
        @Override
        public void beforeStart(ClientCallStreamObserver<TrustBundleReport> requests) {
            reports.stream(requests);
        }

        @Override
        public void onNext(TrustBundleUpdate update) {
            failures.set(0);
            try {
                long written = agent.acceptBundle(
                        Pem.certificates(update.getTrustBundle()),
                        JwtKeys.from(update.getJwtAuthoritiesList()),
                        update.getTrustBundleVersion());
                reports.confirm(written, workload);
            } catch (AgentException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not write the trust bundle v" + update.getTrustBundleVersion(), e);
            }
            if (update.getRenewWithinMillis() > 0) {
                agent.requestRenewal(Duration.ofMillis(update.getRenewWithinMillis()));
            }
        }

        @Override
        public void onError(Throwable t) {
            opened.shutdownNow();
            retry(t);
        }

        @Override
        public void onCompleted() {
            opened.shutdownNow();
            retry(new IllegalStateException("the control plane closed the stream"));
        }
    }

    @Override
    public void close() {
        closed = true;
        ManagedChannel open = channel;
        if (open != null) {
            open.shutdownNow();
        }
    }
}
