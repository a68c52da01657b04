package dev.signet.controlplane.environment;

import dev.signet.policy.select.MeshPolicies;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Where the policies and workloads come from: a folder (standalone), the cluster's resources and Pods (the operator),
 * or nowhere (a control plane serving the CA alone). Hands each new mesh to the sink given at {@link #start}, in one
 * direction; what it reads is its own business, and so is its schedule (on the scheduler it is given).
 */
public interface MeshSource extends AutoCloseable {

    /** No policies and no workloads: the CA alone. Hands over its empty mesh at once, and is ready. */
    MeshSource NONE = new MeshSource() {
        @Override
        public void start(Consumer<MeshPolicies> sink, ScheduledExecutorService scheduler) {
            sink.accept(MeshPolicies.empty());
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public void close() {}
    };

    void start(Consumer<MeshPolicies> sink, ScheduledExecutorService scheduler);

    /** Everything was read once and the mesh built from it handed over: proxies get a complete configuration. */
    boolean ready();

    /** Policies in force and invalid ones, as of the last load. */
    default PolicyCounts policyCounts() {
        return PolicyCounts.NONE;
    }

    @Override
    void close();
}
