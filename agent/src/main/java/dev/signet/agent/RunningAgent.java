package dev.signet.agent;

import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An agent at work, as {@code signet agent} runs it: the renewal loop on its own thread and the bundle watch beside
 * it (new bundles and early-renewal requests arrive there). Closing stops both.
 */
public final class RunningAgent implements AutoCloseable {

    private final Agent agent;
    private final Thread loop;
    private final ScheduledExecutorService watchThread;
    private final TrustWatch watch;

    private RunningAgent(Agent agent, AgentConfig config, String workload, SecureRandom random) {
        this.agent = agent;
        this.watchThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "signet-trust-watch");
            thread.setDaemon(true);
            return thread;
        });
        this.watch = new TrustWatch(agent, config, workload, watchThread, random);
        this.loop = new Thread(
                () -> {
                    try {
                        agent.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "signet-agent " + workload);
        this.loop.setDaemon(true);
    }

    /** Starts renewing and watching; {@code workload} is the name the control plane shows for this agent. */
    public static RunningAgent start(Agent agent, AgentConfig config, String workload, SecureRandom random) {
        RunningAgent running = new RunningAgent(agent, config, workload, random);
        // The earlier run's certificate first, so that the watch can authenticate with it from the start.
        agent.resumeFromFiles();
        running.loop.start();
        running.watch.start();
        return running;
    }

    public Agent agent() {
        return agent;
    }

    /** Waits until the agent stops (it runs until interrupted). */
    public void join() throws InterruptedException {
        loop.join();
    }

    @Override
    public void close() throws InterruptedException {
        loop.interrupt();
        watch.close();
        watchThread.shutdownNow();
        loop.join(TimeUnit.SECONDS.toMillis(10));
    }
}
