package dev.signet.e2e;

import dev.signet.cli.demo.GrpcWorkloads;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Calls that never stop while a rotation runs, the two ways a mesh's clients connect: one long-lived channel (one
 * connection, handshaken once), and a new channel for every call (a new xDS client, a new TLS handshake each time,
 * so each call checks the certificates and bundle as they are at that moment). Every failure is kept.
 */
final class Traffic implements AutoCloseable {

    private final AtomicLong ok = new AtomicLong();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private ManagedChannel longLived;

    /** Starts both kinds of callers; {@code channels} makes a new client channel for the caller's identity. */
    static Traffic start(Supplier<ManagedChannel> channels) {
        Traffic traffic = new Traffic();
        ManagedChannel longLived = channels.get();
        traffic.longLived = longLived;
        traffic.loop("long-lived", () -> GrpcWorkloads.call(longLived, GrpcWorkloads.CHARGE, "1 EUR"));
        traffic.loop("new connection per call", () -> {
            ManagedChannel fresh = channels.get();
            try {
                return GrpcWorkloads.call(fresh, GrpcWorkloads.CHARGE, "2 EUR");
            } finally {
                fresh.shutdownNow();
            }
        });
        return traffic;
    }

    private void loop(String name, Supplier<String> call) {
        Thread thread = new Thread(
                () -> {
                    try {
                        while (running) {
                            try {
                                call.get();
                                ok.incrementAndGet();
                            } catch (RuntimeException e) {
                                failures.add(java.time.Instant.now() + " " + name + ": " + causes(e));
                            }
                            Thread.sleep(20);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "traffic " + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    long succeeded() {
        return ok.get();
    }

    /**
     * The exception and its causes, one after the other: "UNAVAILABLE: ssl exception" alone does not say which side
     * refused the handshake, or why.
     */
    private static String causes(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e));
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable cause = e.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            out.append(" <- ").append(cause);
        }
        return out.toString();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Waits until {@code more} further calls have succeeded: proof that traffic flows at this point. */
    void awaitMore(long more) throws InterruptedException {
        long target = ok.get() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ok.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (ok.get() < target) {
            throw new IllegalStateException("traffic stalled at " + ok.get() + " calls; failures: " + failures);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        longLived.shutdownNow();
    }

    Map<String, Object> summary() {
        return Map.of("succeeded", ok.get(), "failed", failures.size());
    }
}
