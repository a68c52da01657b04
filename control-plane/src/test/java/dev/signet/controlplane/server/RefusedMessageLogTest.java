package dev.signet.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class RefusedMessageLogTest {

    private static LogRecord refused() {
        LogRecord record = new LogRecord(Level.WARNING, "Exception processing message");
        record.setThrown(Status.RESOURCE_EXHAUSTED
                .withDescription("gRPC message exceeds maximum size 65536: 71684")
                .asRuntimeException());
        return record;
    }

    @Test
    void one_line_a_minute_without_a_stack_trace_saying_how_many_were_left_out() {
        AtomicLong now = new AtomicLong();
        RefusedMessageLog filter = new RefusedMessageLog(now::get);
        LogRecord first = refused();
        assertThat(filter.isLoggable(first)).isTrue();
        assertThat(first.getThrown()).isNull();
        assertThat(first.getMessage())
                .isEqualTo("a peer's message was refused: RESOURCE_EXHAUSTED: gRPC message exceeds "
                        + "maximum size 65536: 71684");
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            assertThat(filter.isLoggable(refused())).isFalse();
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(51));
        LogRecord later = refused();
        assertThat(filter.isLoggable(later)).isTrue();
        assertThat(later.getMessage()).endsWith("(and 1000 more in the last minute, not logged)");
        assertThat(filter.isLoggable(new LogRecord(Level.INFO, "no exception: passes")))
                .isTrue();
    }
}
