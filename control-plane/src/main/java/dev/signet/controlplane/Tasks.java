package dev.signet.controlplane;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane's periodic work on two daemon threads: each task runs every so often, and a failure is logged
 * and the next run goes ahead.
 */
final class Tasks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Tasks.class.getName());

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "signet-control-plane");
        thread.setDaemon(true);
        return thread;
    });

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    void every(Duration period, String what, Runnable task) {
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, what + " failed", e);
                    }
                },
                period.toMillis(),
                period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
