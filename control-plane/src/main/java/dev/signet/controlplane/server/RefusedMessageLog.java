package dev.signet.controlplane.server;

import io.grpc.Status;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * gRPC logs every message it refuses on the transport (one over the size limit, say) as a warning with a 16-line
 * stack trace, before any credential is checked: anyone who reaches the port could fill the log. This filter on
 * gRPC's server-stream logger lets one such line through a minute, without the stack trace, saying how many were
 * left out since; other records pass unchanged. The logger is held here, since loggers are only weakly kept.
 */
final class RefusedMessageLog implements Filter {

    static final String LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";
    private static final long PERIOD_NANOS = 60_000_000_000L;

    private final LongSupplier nanoTime;
    private long lastNanos;
    private boolean logged;
    private long suppressed;

    RefusedMessageLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Installs a filter on gRPC's logger; keep the returned logger as long as the server runs. */
    static Logger install(LongSupplier nanoTime) {
        Logger logger = Logger.getLogger(LOGGER);
        logger.setFilter(new RefusedMessageLog(nanoTime));
        return logger;
    }

    @Override
    public synchronized boolean isLoggable(LogRecord record) {
        if (record.getThrown() == null) {
            return true;
        }
        long now = nanoTime.getAsLong();
        if (logged && now - lastNanos < PERIOD_NANOS) {
            suppressed++;
            return false;
        }
        Status status = Status.fromThrowable(record.getThrown());
        record.setMessage("a peer's message was refused: " + status.getCode()
                + (status.getDescription() == null ? "" : ": " + status.getDescription())
                + (suppressed > 0 ? " (and " + suppressed + " more in the last minute, not logged)" : ""));
        record.setParameters(null);
        record.setThrown(null);
        logged = true;
        lastNanos = now;
        suppressed = 0;
        return true;
    }
}
