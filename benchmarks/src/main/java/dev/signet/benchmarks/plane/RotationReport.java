package dev.signet.benchmarks.plane;

import dev.signet.benchmarks.BenchmarkMain;
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
 * in-process on the same CA in the same run. The first rotation is shown cold; warm-up rotations follow until two in a
 * row run with the JIT compiler quiet (a control plane serves renewals all day before it rotates its root), and the
 * ratio takes the median of the three after, as the reference is timed warm too. Ends with
 * {@code ratio: activate-to-clean ÷ reference}.
 *
 * <p>The cap is set to half the CA's measured in-process rate: a rotation may use at most half of what the CA can do,
 * which leaves the other half for workloads starting meanwhile, and which puts the floor of the ratio at 2.
 */
public final class RotationReport implements BenchmarkMain.Report {

    private static final int AGENTS = 2_000;
    /**
     * Warm-up ends after {@value #QUIET_ROUNDS} rotations in a row in which the JIT compiled for less than this.
     * Measured here: C2 goes on compiling gRPC's and Netty's serving paths, for hundreds of milliseconds a method, for
     * about ten rotations after the first, as each rotation runs them for under a second (runs needed 9 to 16 warm-up
     * rotations); one quiet rotation was once followed by one with 584 ms of compiling. The rounds are printed with
     * their compile time.
     */
    private static final Duration QUIET_JIT = Duration.ofMillis(100);

    private static final int QUIET_ROUNDS = 2;
    private static final int MAX_WARM_UP_ROUNDS = 30;
    /** Keys each agent prepares and takes in turn. */
    private static final int KEYS_PER_AGENT = 4;
    /** Rotations measured after the warm-up; the ratio takes their median. */
    private static final int MEASURED_ROUNDS = 3;

    @Override
    public String description() {
        return "full root rotation with 2,000 agents on real gRPC connections: activate -> no leaf under the old root, "
                + "vs issuing 2,000 certificates in-process";
    }

    @Override
    public double run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("signet-bench-rotation");
        double reference = InProcessIssuance.medianSeconds(dir.resolve("reference"), AGENTS);
        double cap = AGENTS / reference / 2;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        List<SimulatedAgent> agents = new ArrayList<>();
        try (ControlPlane controlPlane = ControlPlane.start(
                ControlPlaneConfig.defaults(dir.resolve("state"))
                        .withEphemeralPorts()
                        .withRotation(new RotationSettings(
                                Duration.ZERO, Duration.ofMillis(100), cap, Duration.ofMillis(100))),
                Clock.systemUTC(),
                new SecureRandom())) {
            out.printf(
                    "reference: %d certificates issued in-process in %.3f s (%.0f/s); rotation cap %.0f/s%n",
                    AGENTS, reference, AGENTS / reference, cap);

            AtomicLong failed = new AtomicLong();
            long setup = System.nanoTime();
            X509Certificate[] roots = controlPlane.trustBundle().roots().toArray(new X509Certificate[0]);
            for (int i = 0; i < AGENTS; i++) {
                String token = controlPlane
                        .tokenIssuer()
                        .issue(new WorkloadIdentity("bench", "agent-" + i), Duration.ofHours(1), "signet-ca");
                // The agents' callbacks are short and never block: they run on the channel's event loop, rather than
                // be handed to another thread, so that the simulated agents take as little of the CPU the control
                // plane shares with them as they can.
                SimulatedAgent agent = new SimulatedAgent(
                        NettyChannelBuilder.forTarget("localhost:" + controlPlane.grpcPort())
                                .sslContext(GrpcSslContexts.forClient()
                                        .trustManager(roots)
                                        .build())
                                .directExecutor()
                                .build(),
                        token,
                        scheduler,
                        failed);
                agent.start(KEYS_PER_AGENT);
                agents.add(agent);
            }
            while (controlPlane.trustWatchers().size() < AGENTS) {
                Thread.sleep(10);
            }
            out.printf(
                    "%d agents connected, each with a certificate and a bundle watch, in %.1f s%n",
                    AGENTS, (System.nanoTime() - setup) / 1e9);

            RotationController rotation = controlPlane.rotation();
            // The first rotation runs code paths no earlier step ran (renewals naming what they replace, cross-signed
            // chains); the JIT compiles them while it runs. It is shown, then the warm-up rounds, then the measured
            // ones.
            Measured cold = rotate(controlPlane, rotation, agents, scheduler, failed);
            out.printf("first (cold) rotation: activate -> no leaf in use under the old root %.3f s%n", cold.clean());
            List<Measured> warm = new ArrayList<>();
            long peak = cold.peakPerSecond();
            boolean warmedUp = false;
            int quietInARow = 0;
            for (int round = 1; warm.size() < MEASURED_ROUNDS; round++) {
                if (!warmedUp && round > MAX_WARM_UP_ROUNDS) {
                    out.printf(
                            "the JIT was not quiet (under %d ms) in %d rotations in a row within %d warm-up "
                                    + "rotations; measuring anyway%n",
                            QUIET_JIT.toMillis(), QUIET_ROUNDS, MAX_WARM_UP_ROUNDS);
                    warmedUp = true;
                }
                Measured measured = rotate(controlPlane, rotation, agents, scheduler, failed);
                peak = Math.max(peak, measured.peakPerSecond());
                if (warmedUp) {
                    warm.add(measured);
                }
                out.printf(
                        "%s %d: prepare %.3f s; activate -> no leaf in use under the old root %.3f s (first "
                                + "renewed after %.3f s, 75 / 50 / 25 / 5 %% left after %.3f / %.3f / %.3f / %.3f s; "
                                + "renewals spread over %.3f s); full rotation %.3f s, bundle v%d; JVM CPU from activate "
                                + "until the inventory showed it clean %.2f s; JIT compiling %d ms; peak issuance %d in "
                                + "1 s%n",
                        warmedUp ? "measured rotation" : "warm-up rotation",
                        round,
                        measured.prepare(),
                        measured.clean(),
                        measured.reached()[0],
                        measured.reached()[1],
                        measured.reached()[2],
                        measured.reached()[3],
                        measured.reached()[4],
                        AGENTS / cap,
                        measured.total(),
                        measured.bundleVersion(),
                        measured.cpu(),
                        measured.compiling().toMillis(),
                        measured.peakPerSecond());
                quietInARow = measured.compiling().compareTo(QUIET_JIT) < 0 ? quietInARow + 1 : 0;
                warmedUp |= quietInARow >= QUIET_ROUNDS;
            }
            double median = warm.stream().mapToDouble(Measured::clean).sorted().toArray()[MEASURED_ROUNDS / 2];
            out.printf(
                    "activate -> no leaf in use under the old root, median of %d measured rotations: %.3f s (%d "
                            + "renewals requested each, %d failed in all)%n",
                    MEASURED_ROUNDS, median, AGENTS, failed.get());
            out.printf(
                    "highest issuance over any 1 s, in any rotation: %d certificates (cap %.0f/s): %s%n",
                    peak, cap, peak <= cap * 1.1 ? "within the cap" : "OVER THE CAP");
            return median / reference;
        } finally {
            agents.forEach(SimulatedAgent::close);
            scheduler.shutdownNow();
            dev.signet.ca.store.Directories.delete(dir);
        }
    }

    /**
     * One rotation's figures: the phase times, where the tail fell, the CPU the JVM used, the time its JIT compiled and
     * the peak issuance.
     */
    private record Measured(
            double prepare,
            double clean,
            double[] reached,
            double total,
            long bundleVersion,
            double cpu,
            Duration compiling,
            long peakPerSecond) {}

    /**
     * Runs one automatic rotation to COMPLETE and measures it. The moment the old root's last leaf went out of use is
     * taken from the agents: each renewal's response arrives after the CA marked the leaf it replaces, so the last
     * first-wave response is a bound from above. Polling the inventory for it every few milliseconds would take the
     * CPU the measured work needs; it is asked every 100 ms only to confirm the count is zero.
     */
    private static Measured rotate(
            ControlPlane controlPlane,
            RotationController rotation,
            List<SimulatedAgent> agents,
            ScheduledExecutorService scheduler,
            AtomicLong failed)
            throws Exception {
        agents.forEach(SimulatedAgent::clearRenewals);
        IssuanceSampler sampler = IssuanceSampler.start(controlPlane, scheduler);
        long started = System.nanoTime();
        long compiledBefore = compilingMillis();
        RotationStatus prepare = rotation.start(RotationRequest.generated(RotationMode.AUTOMATIC));
        String oldRoot = prepare.rotation().orElseThrow().fromRoot();
        RotationStatus activate = await(rotation, s -> s.phase().orElseThrow().compareTo(RotationPhase.ACTIVATE) >= 0);
        Instant activatedAt = activate.enteredAt().get(RotationPhase.ACTIVATE);
        long cpuAtActivate = processCpuNanos();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (controlPlane.ca().leaves().inUseUnder(oldRoot, Instant.now(), 1).total() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("leaves still in use under the old root after 2 minutes: "
                        + controlPlane
                                .ca()
                                .leaves()
                                .inUseUnder(oldRoot, Instant.now(), 5)
                                .first()
                        + "; renewals failed: " + failed.get());
            }
            Thread.sleep(100);
        }
        double cpuUntilSeen = (processCpuNanos() - cpuAtActivate) / 1e9;
        // The CA marks the old leaf before it answers: the last answers may still be on their way.
        while (agents.stream()
                .anyMatch(agent -> firstRenewal(agent, activatedAt).isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("an agent has no answer to its renewal after 2 minutes");
            }
            Thread.sleep(10);
        }
        double[] firstWave = agents.stream()
                .mapToDouble(agent -> Duration.between(
                                        activatedAt,
                                        firstRenewal(agent, activatedAt).orElseThrow())
                                .toNanos()
                        / 1e9)
                .sorted()
                .toArray();
        double clean = firstWave[firstWave.length - 1];
        // When the first was replaced, and when the old root's leaves in use fell to 75 %, 50 %, 25 % and 5 %: the
        // shape of the tail.
        double[] reached = java.util.stream.DoubleStream.of(1.0 / firstWave.length, 0.25, 0.5, 0.75, 0.95)
                .map(done -> firstWave[(int) Math.ceil(done * firstWave.length) - 1])
                .toArray();
        RotationStatus complete = await(rotation, s -> s.phase().orElseThrow() == RotationPhase.COMPLETE);
        double total = (System.nanoTime() - started) / 1e9;
        sampler.stop();
        double prepared = Duration.between(prepare.enteredAt().get(RotationPhase.PREPARE), activatedAt)
                        .toNanos()
                / 1e9;
        return new Measured(
                prepared,
                clean,
                reached,
                total,
                complete.bundleVersion(),
                cpuUntilSeen,
                Duration.ofMillis(compilingMillis() - compiledBefore),
                sampler.peakPerSecond());
    }

    /** The agent's first renewal answered after {@code activatedAt}: the one that replaced its old-root leaf. */
    private static java.util.Optional<Instant> firstRenewal(SimulatedAgent agent, Instant activatedAt) {
        return agent.renewals().stream().filter(at -> at.isAfter(activatedAt)).findFirst();
    }

    private static long compilingMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static RotationStatus await(RotationController rotation, Predicate<RotationStatus> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        RotationStatus status = rotation.status();
        while (!wanted.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rotation did not get there in 5 minutes: " + status);
            }
            Thread.sleep(100);
            status = rotation.status();
        }
        return status;
    }
}
