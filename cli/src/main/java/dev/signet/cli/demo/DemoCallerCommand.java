package dev.signet.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signet demo caller}: calls a method of the demo's payments service over gRPC xDS, again and again, and
 * counts the outcomes: answered, refused by policy (PERMISSION_DENIED), or failed otherwise (the last such failure is
 * kept). The counts are served as JSON on {@code GET /stats}, so a test or a person can watch a change take effect,
 * and printed every ten seconds.
 */
@Command(
        name = "caller",
        mixinStandardHelpOptions = true,
        description = "Call the demo's payments service over gRPC xDS in a loop and count the outcomes; the counts "
                + "are on http://<pod>:<stats-port>/stats.")
public final class DemoCallerCommand implements Callable<Integer> {

    @Option(
            names = "--target",
            required = true,
            paramLabel = "SERVICE.NS:PORT",
            description = "The service to call, e.g. payments.shop:8080.")
    String target;

    @Option(names = "--method", defaultValue = "Charge", description = "Charge or Refund (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(
            names = "--every",
            defaultValue = "200ms",
            paramLabel = "DURATION",
            description = "The pause between calls (default: ${DEFAULT-VALUE}).",
            converter = dev.signet.cli.DurationConverter.class)
    Duration every;

    @Option(
            names = "--stats-port",
            defaultValue = "8081",
            description = "The port of /stats (default: ${DEFAULT-VALUE}).")
    int statsPort;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");

    @Override
    public Integer call() throws Exception {
        MethodDescriptor<String, String> rpc = switch (method) {
            case "Charge" -> GrpcWorkloads.CHARGE;
            case "Refund" -> GrpcWorkloads.REFUND;
            default -> throw new IllegalArgumentException("--method must be Charge or Refund, not " + method);
        };
        HttpServer stats = HttpServer.create(new InetSocketAddress(statsPort), 8);
        stats.createContext("/stats", exchange -> {
            byte[] body = stats().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        stats.start();
        Map<String, Object> bootstrap = Bootstraps.fromEnvironment();
        ManagedChannel channel = GrpcWorkloads.client("xds", target, bootstrap);
        long lastPrint = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                GrpcWorkloads.call(channel, rpc, "1 EUR");
                ok.incrementAndGet();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.PERMISSION_DENIED) {
                    denied.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    lastFailure.set(e.getStatus().toString());
                }
            }
            if (System.nanoTime() - lastPrint > Duration.ofSeconds(10).toNanos()) {
                System.out.println("caller: " + stats());
                lastPrint = System.nanoTime();
            }
            Thread.sleep(every.toMillis());
        }
        return 0;
    }

    private String stats() {
        ObjectNode stats = JSON.createObjectNode()
                .put("ok", ok.get())
                .put("denied", denied.get())
                .put("failed", failed.get())
                .put("lastFailure", lastFailure.get());
        return stats.toString();
    }
}
