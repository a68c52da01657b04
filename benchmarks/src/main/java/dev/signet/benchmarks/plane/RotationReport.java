package dev.signet.benchmarks.plane;

import dev.signet.benchmarks.BenchmarkMain;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.identity.WorkloadIdentity;
import dev.signet.controlplane.rotation.RotationController;
import dev.signet.controlplane.rotation.RotationMode;
import dev.signet.controlplane.rotation.RotationPhase;
import dev.signet.controlplane.rotation.RotationRequest;
import dev.signet.controlplane.rotation.RotationSettings;
import dev.signet.controlplane.rotation.RotationStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * {@code rotation}: 2,000 simulated agents, each on its own TLS gRPC connection with its own identity, go through a
 * full root rotation with forced re-issue. Prints the time from ACTIVATE until no leaf in use chains to the old root,
 * the highest issuance rate seen over any second against the cap, and the reference: issuing 2,000 certificates
 * in-process on the same CA in the same run. Ends with {@code ratio: activate-to-clean ÷ reference}.
 *
 * <p>The cap is set to half the CA's measured in-process rate: a rotation may use at most half of what the CA can do,
 * which leaves the other half for workloads starting meanwhile, and which puts the floor of the ratio at 2.
 */
public final class RotationReport implements BenchmarkMain.Report {

    private static final int AGENTS = 2_000;

    @Override
    public String description() {
        return "full root rotation with 2,000 agents on real gRPC connections: activate -> no leaf under the old root, "
                + "vs issuing 2,000 certificates in-process";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("signet-bench-rotation");
        double reference = referenceSeconds(dir.resolve("reference"));
        double cap = AGENTS / reference / 2;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        List<SimulatedAgent> agents = new ArrayList<>();
        try (ControlPlane controlPlane = ControlPlane.start(ControlPlaneConfig.defaults(dir.resolve("state"))
                        .withEphemeralPorts().withRotation(new RotationSettings(Duration.ZERO, Duration.ofMillis(20), cap,
                                Duration.ofMillis(100))),
                Clock.systemUTC(), new SecureRandom())) {
            out.printf("reference: %d certificates issued in-process in %.3f s (%.0f/s); rotation cap %.0f/s%n",
                    AGENTS, reference, AGENTS / reference, cap);

            AtomicLong failed = new AtomicLong();
            long setup = System.nanoTime();
            X509Certificate[] roots = controlPlane.trustBundle().roots().toArray(new X509Certificate[0]);
            for (int i = 0; i < AGENTS; i++) {
                String token = controlPlane.tokenIssuer().issue(new WorkloadIdentity("bench", "agent-" + i),
                        Duration.ofHours(1), "signet-ca");
                SimulatedAgent agent = new SimulatedAgent(NettyChannelBuilder.forTarget("localhost:" + controlPlane.grpcPort())
                        .sslContext(GrpcSslContexts.forClient().trustManager(roots).build()).build(), token, scheduler, failed);
                agent.start();
                agents.add(agent);
            }
            while (controlPlane.trustWatchers().size() < AGENTS) {
                Thread.sleep(10);
            }
            out.printf("%d agents connected, each with a certificate and a bundle watch, in %.1f s%n", AGENTS,
                    (System.nanoTime() - setup) / 1e9);

            RotationController rotation = controlPlane.rotation().orElseThrow();
            IssuanceSampler sampler = IssuanceSampler.start(controlPlane, scheduler);
            long started = System.nanoTime();
            RotationStatus prepare = rotation.start(RotationRequest.generated(RotationMode.AUTOMATIC));
            String oldRoot = prepare.rotation().orElseThrow().fromRoot();
            RotationStatus activate = await(rotation, s -> s.phase().orElseThrow().compareTo(RotationPhase.ACTIVATE) >= 0);
            Instant activatedAt = activate.enteredAt().get(RotationPhase.ACTIVATE);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            // When the old root's leaves in use fell to 75 %, 50 %, 25 % and 5 %: the shape of the tail.
            double[] marks = {0.75, 0.5, 0.25, 0.05};
            double[] reached = new double[marks.length];
            long remaining;
            while ((remaining = controlPlane.ca().inventory().inUseUnder(oldRoot, Instant.now(), 1).total()) > 0) {
                double since = Duration.between(activatedAt, Instant.now()).toNanos() / 1e9;
                for (int m = 0; m < marks.length; m++) {
                    if (reached[m] == 0 && remaining <= marks[m] * AGENTS) {
                        reached[m] = since;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("leaves still in use under the old root after 2 minutes: "
                            + controlPlane.ca().inventory().inUseUnder(oldRoot, Instant.now(), 5).first()
                            + "; renewals failed: " + failed.get());
                }
                Thread.sleep(20);
            }
            double clean = Duration.between(activatedAt, Instant.now()).toNanos() / 1e9;
            RotationStatus complete = await(rotation, s -> s.phase().orElseThrow() == RotationPhase.COMPLETE);
            double total = (System.nanoTime() - started) / 1e9;
            sampler.stop();

            out.printf("prepare: all %d agents confirmed bundle v%d in %.3f s%n", AGENTS, prepare.bundleVersion(),
                    Duration.between(prepare.enteredAt().get(RotationPhase.PREPARE), activatedAt).toNanos() / 1e9);
            out.printf("activate -> no leaf in use under the old root: %.3f s (%d renewals requested, %d failed)%n",
                    clean, AGENTS, failed.get());
            out.printf("old-root leaves in use down to 75 %% / 50 %% / 25 %% / 5 %% after %.3f / %.3f / %.3f / %.3f s "
                    + "(renewals spread over %.3f s)%n", reached[0], reached[1], reached[2], reached[3], AGENTS / cap);
            out.printf("full rotation (prepare, activate, retire with the cross-signed leaves renewed, complete): %.3f s, "
                    + "bundle v%d%n", total, complete.bundleVersion());
            out.printf("highest issuance over any 1 s: %d certificates (cap %.0f/s): %s%n", sampler.peakPerSecond(), cap,
                    sampler.peakPerSecond() <= cap * 1.1 ? "within the cap" : "OVER THE CAP");
            return clean / reference;
        } finally {
            agents.forEach(SimulatedAgent::close);
            scheduler.shutdownNow();
            dev.signet.ca.store.Directories.delete(dir);
        }
    }

    /**
     * The reference, on a control plane of its own so that its leaves (held by no agent) stay out of the rotation's
     * inventory: seconds to issue {@value #AGENTS} certificates in-process, after one round to warm up.
     */
    private static double referenceSeconds(Path state) throws Exception {
        try (ControlPlane probe = ControlPlane.start(ControlPlaneConfig.defaults(state).withEphemeralPorts(),
                Clock.systemUTC(), new SecureRandom())) {
            issueInProcess(probe);
            return issueInProcess(probe);
        }
    }

    private static double issueInProcess(ControlPlane controlPlane) {
        List<String> csrs = BenchCsrs.many(AGENTS);
        SpiffeId id = SpiffeId.forServiceAccount("cluster.local", "bench", "reference");
        long start = System.nanoTime();
        for (String csr : csrs) {
            controlPlane.ca().sign(csr.getBytes(), id, null);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static RotationStatus await(RotationController rotation, Predicate<RotationStatus> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        RotationStatus status = rotation.status();
        while (!wanted.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rotation did not get there in 5 minutes: " + status);
            }
            Thread.sleep(20);
            status = rotation.status();
        }
        return status;
    }

    /** Samples the issued-certificates counter every 100 ms; the peak is the most issued in any ten samples. */
    private static final class IssuanceSampler {
        private final List<Long> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        private java.util.concurrent.ScheduledFuture<?> task;

        static IssuanceSampler start(ControlPlane controlPlane, ScheduledExecutorService scheduler) {
            IssuanceSampler sampler = new IssuanceSampler();
            sampler.task = scheduler.scheduleAtFixedRate(() -> sampler.samples.add(controlPlane.metrics().issuedCount()),
                    0, 100, TimeUnit.MILLISECONDS);
            return sampler;
        }

        void stop() {
            task.cancel(false);
        }

        long peakPerSecond() {
            if (samples.size() <= 10) {
                return samples.isEmpty() ? 0 : samples.get(samples.size() - 1) - samples.get(0);
            }
            long peak = 0;
            for (int i = 10; i < samples.size(); i++) {
                peak = Math.max(peak, samples.get(i) - samples.get(i - 10));
            }
            return peak;
        }
    }
}
