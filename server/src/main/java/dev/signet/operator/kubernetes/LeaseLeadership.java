package dev.signet.operator.kubernetes;

import dev.signet.controlplane.environment.Leadership;
import java.util.concurrent.atomic.AtomicBoolean;

/** Whether this replica holds the Lease {@code signet-leader}, as the leader election's callbacks last said. */
final class LeaseLeadership implements Leadership {

    private final AtomicBoolean leading = new AtomicBoolean();

    @Override
    public boolean leads() {
        return leading.get();
    }

    void leading(boolean now) {
        leading.set(now);
    }
}
