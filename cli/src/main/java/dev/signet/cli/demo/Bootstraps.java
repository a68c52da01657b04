package dev.signet.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The gRPC xDS bootstrap a workload in a pod is given: the file {@code GRPC_XDS_BOOTSTRAP} names. */
final class Bootstraps {

    private Bootstraps() {}

    /** Waits up to a minute for the file (the agent writes it), then reads it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fromEnvironment() throws IOException, InterruptedException {
        String name = System.getenv("GRPC_XDS_BOOTSTRAP");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("GRPC_XDS_BOOTSTRAP is not set: run beside the agent (signet inject)");
        }
        Path file = Path.of(name);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return new ObjectMapper().readValue(Files.readString(file), Map.class);
    }
}
